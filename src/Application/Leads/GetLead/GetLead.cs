using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Leads;
using MediatR;

namespace CrmTenancy.Application.Leads.GetLead;

public sealed record GetLead(Guid Id) : IGetById<Lead, LeadDto>;

public sealed class GetLeadHandler(IReadRepository<Lead> leads, ITenantContext tenant) : IRequestHandler<GetLead, LeadDto>
{
    public Task<LeadDto> Handle(GetLead request, CancellationToken cancellationToken) =>
        leads.GetDtoAsync<Lead, LeadDto>(tenant, request.Id, cancellationToken);
}
