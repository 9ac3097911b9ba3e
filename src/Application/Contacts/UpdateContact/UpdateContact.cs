using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Contacts.UpdateContact;

/// <summary>Replaces the contact's fields (a PUT), including its customer link.</summary>
public sealed record UpdateContact : ContactInput, ICommand<Unit>, IConditionalCommand, IReplacement
{
    /// <summary>From the route, never from the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>From the If-Match header, never from the body.</summary>
    [JsonIgnore]
    public int? ExpectedVersion { get; init; }
}

public sealed class UpdateContactValidator : AbstractValidator<UpdateContact>
{
    public UpdateContactValidator() => this.ApplyContactInputRules();
}

public sealed class UpdateContactHandler(IRepository<Contact> contacts, IRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<UpdateContact, Unit>
{
    public async Task<Unit> Handle(UpdateContact request, CancellationToken cancellationToken)
    {
        var contact = await contacts.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        await contacts.EnsureEmailFreeAsync(tenant, request.Email, contact.Id, cancellationToken);
        contact.Update(request.ToDetails());
        await contact.LinkAsync(request.CustomerId, customers, tenant, cancellationToken);
        return Unit.Value;
    }
}
