using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Calls;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Domain.Calls;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Calls.GetCall;

public sealed record GetCall(Guid Id) : IGetById<Call, CallDto>;

public sealed class GetCallHandler(IReadRepository<Call> calls, ITenantContext tenant) : IRequestHandler<GetCall, CallDto>
{
    public Task<CallDto> Handle(GetCall request, CancellationToken cancellationToken) =>
        calls.GetDtoAsync<Call, CallDto>(tenant, request.Id, cancellationToken);
}
