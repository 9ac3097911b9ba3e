using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Leads;
using MediatR;

namespace CrmTenancy.Application.Leads.RecordLeadContact;

/// <summary>Records that the lead was reached now (a call, a mail, a meeting): its last-contacted time moves.</summary>
public sealed record RecordLeadContact(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class RecordLeadContactHandler(IRepository<Lead> leads, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<RecordLeadContact, Unit>
{
    public async Task<Unit> Handle(RecordLeadContact request, CancellationToken cancellationToken)
    {
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        lead.RecordContact(clock.GetUtcNow());
        return Unit.Value;
    }
}
