using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Workflows;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Workflows.ListWorkflows;

public sealed record ListWorkflows(bool? Enabled = null, int Page = 1, int PageSize = Paging.DefaultPageSize) : IQuery<PagedResult<WorkflowDto>>, IPagedQuery;

public sealed class ListWorkflowsValidator : AbstractValidator<ListWorkflows>
{
    public ListWorkflowsValidator() => this.ApplyPagingRules();
}

public sealed class WorkflowListSpecification : TenantSpecification<Workflow>
{
    public WorkflowListSpecification(ITenantContext tenant, bool? enabled, int page, int pageSize) : base(tenant)
    {
        if (enabled is { } on)
            Query.Where(w => w.Enabled == on);
        Query.OrderBy(w => w.Name).ThenBy(w => w.Id).Page(page, pageSize).AsNoTracking();
    }
}

public sealed class ListWorkflowsHandler(IReadRepository<Workflow> workflows, ITenantContext tenant) : IRequestHandler<ListWorkflows, PagedResult<WorkflowDto>>
{
    public Task<PagedResult<WorkflowDto>> Handle(ListWorkflows request, CancellationToken cancellationToken) =>
        workflows.ProjectPageAsync<Workflow, WorkflowDto>(new WorkflowListSpecification(tenant, request.Enabled, request.Page, request.PageSize), cancellationToken);
}
