using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Workflows;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Workflows.ListExecutions;

/// <summary>Executions, the latest first, optionally of one workflow, one lead or contact, in one state.</summary>
public sealed record ListExecutions(
    Guid? WorkflowId = null, Guid? LeadId = null, ExecutionState? State = null, int Page = 1, int PageSize = Paging.DefaultPageSize, Guid? ContactId = null)
    : IQuery<PagedResult<ExecutionDto>>, IPagedQuery;

public sealed class ListExecutionsValidator : AbstractValidator<ListExecutions>
{
    public ListExecutionsValidator() => this.ApplyPagingRules();
}

public sealed class ExecutionListSpecification : TenantSpecification<WorkflowExecution>
{
    public ExecutionListSpecification(ITenantContext tenant, ListExecutions filter) : base(tenant)
    {
        if (filter.WorkflowId is { } workflow)
            Query.Where(e => e.WorkflowId == workflow);
        if (filter.LeadId is { } lead)
            Query.Where(e => e.LeadId == lead);
        if (filter.ContactId is { } contact)
            Query.Where(e => e.ContactId == contact);
        if (filter.State is { } state)
            Query.Where(e => e.State == state);
        Query.OrderByDescending(e => e.StartedAt).ThenByDescending(e => e.Id).Page(filter.Page, filter.PageSize).AsNoTracking();
    }
}

public sealed class ListExecutionsHandler(IReadRepository<WorkflowExecution> executions, ITenantContext tenant)
    : IRequestHandler<ListExecutions, PagedResult<ExecutionDto>>
{
    public Task<PagedResult<ExecutionDto>> Handle(ListExecutions request, CancellationToken cancellationToken) =>
        executions.ProjectPageAsync<WorkflowExecution, ExecutionDto>(new ExecutionListSpecification(tenant, request), cancellationToken);
}
