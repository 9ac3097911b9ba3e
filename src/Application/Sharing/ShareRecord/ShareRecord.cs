using System.Reflection;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application.Sharing.ShareRecord;

/// <summary>
/// Shares a record with the whole tenant, or ends its sharing (<see cref="IOwnedRecord.Shared"/>): its owner, its
/// assignee or an administrator may; a member who only reads it through sharing gets 403, anyone else 404. Works for
/// every shareable aggregate (customers, contacts, leads, and any later module's), through its own repository.
/// </summary>
public sealed record ShareRecord(Type RecordType, Guid Id, bool? Shared, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class ShareRecordValidator : AbstractValidator<ShareRecord>
{
    public ShareRecordValidator() => RuleFor(x => x.Shared).NotNull();
}

public sealed class ShareRecordHandler(IServiceProvider services, ITenantContext tenant) : IRequestHandler<ShareRecord, Unit>
{
    private static readonly MethodInfo ShareMethod = typeof(ShareRecordHandler).GetMethod(nameof(ShareAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public async Task<Unit> Handle(ShareRecord request, CancellationToken cancellationToken)
    {
        if (!typeof(IShareable).IsAssignableFrom(request.RecordType) || !typeof(AggregateRoot).IsAssignableFrom(request.RecordType))
            throw new ArgumentException($"{request.RecordType.Name} cannot be shared.", nameof(request));
        await (Task)ShareMethod.MakeGenericMethod(request.RecordType).Invoke(this, [request, cancellationToken])!;
        return Unit.Value;
    }

    private async Task ShareAsync<T>(ShareRecord request, CancellationToken cancellationToken) where T : AggregateRoot, IShareable
    {
        var record = await services.GetRequiredService<IRepository<T>>().LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        record.ShareWithTenant(request.Shared!.Value);
    }
}
