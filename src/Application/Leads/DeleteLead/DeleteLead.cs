using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Leads;
using MediatR;

namespace CrmTenancy.Application.Leads.DeleteLead;

public sealed record DeleteLead(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class DeleteLeadHandler(IRepository<Lead> leads, ITenantContext tenant) : IRequestHandler<DeleteLead, Unit>
{
    public async Task<Unit> Handle(DeleteLead request, CancellationToken cancellationToken)
    {
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        lead.MarkDeleted();
        leads.Remove(lead);
        return Unit.Value;
    }
}
