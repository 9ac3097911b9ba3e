using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Leads.TagLead;

public sealed record AddLeadTags(Guid Id, IReadOnlyList<string> Tags, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed record RemoveLeadTag(Guid Id, string Tag, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class AddLeadTagsValidator : AbstractValidator<AddLeadTags>
{
    public AddLeadTagsValidator()
    {
        RuleFor(x => x.Tags).NotEmpty().Must(t => t is null || t.Count <= CustomerTags.MaxPerCustomer)
            .WithMessage($"At most {CustomerTags.MaxPerCustomer} tags at once.");
        RuleForEach(x => x.Tags).ValidTag();
    }
}

public sealed class RemoveLeadTagValidator : AbstractValidator<RemoveLeadTag>
{
    public RemoveLeadTagValidator() => RuleFor(x => x.Tag).ValidTag();
}

public sealed class TagLeadHandler(IRepository<Lead> leads, ITenantContext tenant)
    : IRequestHandler<AddLeadTags, Unit>, IRequestHandler<RemoveLeadTag, Unit>
{
    public async Task<Unit> Handle(AddLeadTags request, CancellationToken cancellationToken)
    {
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        lead.AddTags(request.Tags);
        return Unit.Value;
    }

    public async Task<Unit> Handle(RemoveLeadTag request, CancellationToken cancellationToken)
    {
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        lead.RemoveTag(request.Tag);
        return Unit.Value;
    }
}
