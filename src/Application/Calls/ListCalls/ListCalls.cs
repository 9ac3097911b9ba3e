using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Calls;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Domain.Calls;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Calls.ListCalls;

/// <summary>
/// A page of calls. With <paramref name="Of"/> (the calls of one contact, lead or campaign) the record must be one the
/// caller may see, or the answer is a 404 like any other id.
/// </summary>
public sealed record ListCalls(CallFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize, Type? Of = null, Guid? OfId = null)
    : IQuery<PagedResult<CallDto>>, IPagedQuery;

public sealed class ListCallsValidator : AbstractValidator<ListCalls>
{
    public ListCallsValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Filter.Status).IsInEnum().OverridePropertyName("status");
        RuleFor(x => x.Filter.Outcome).IsInEnum().OverridePropertyName("outcome");
        RuleFor(x => x.Filter.To).GreaterThan(x => x.Filter.From).When(x => x.Filter.From is not null && x.Filter.To is not null).OverridePropertyName("to");
    }
}

public sealed class ListCallsHandler(IReadRepository<Call> calls, IRecordDirectory records, ITenantContext tenant)
    : IRequestHandler<ListCalls, PagedResult<CallDto>>
{
    public async Task<PagedResult<CallDto>> Handle(ListCalls request, CancellationToken cancellationToken)
    {
        if (request is { Of: { } type, OfId: { } id } && !await records.IsVisibleAsync(type, id, cancellationToken))
            throw new NotFoundException(type.Name, id);
        return await calls.ProjectPageAsync<Call, CallDto>(new CallListSpecification(tenant, request.Filter, request.Page, request.PageSize), cancellationToken);
    }
}
