using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Workflows.GetAutomationStats;

/// <summary>
/// The automation's part of the dashboard: the lead flow of the leads captured in [<see cref="From"/>, <see cref="To"/>)
/// (by default the last 30 days): captured, nurtured (a workflow email was sent to them), converted, retained (their
/// customer is still active); and per workflow its executions by state and its emails sent and opened.
/// </summary>
public sealed record GetAutomationStats(DateTimeOffset? From = null, DateTimeOffset? To = null) : IQuery<AutomationStatsDto>;

public sealed record LeadFlowDto(int Captured, int Nurtured, int Converted, int Retained);

public sealed record WorkflowStatsDto(Guid WorkflowId, string Name, bool Enabled, int Running, int Completed, int Failed, int Cancelled, int EmailsSent, int EmailsOpened);

public sealed record AutomationStatsDto(DateTimeOffset From, DateTimeOffset To, LeadFlowDto LeadFlow, IReadOnlyList<WorkflowStatsDto> Workflows);

/// <summary>The aggregate reads behind <see cref="GetAutomationStats"/>, in the caller's tenant.</summary>
public interface IAutomationStatsReader
{
    Task<AutomationStatsDto> ReadAsync(Guid tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public sealed class GetAutomationStatsValidator : AbstractValidator<GetAutomationStats>
{
    public GetAutomationStatsValidator()
    {
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null);
        RuleFor(x => x).Must(x => x.From is null || x.To is null || x.To.Value - x.From.Value <= TimeSpan.FromDays(366))
            .OverridePropertyName("to").WithMessage("At most 366 days.");
    }
}

public sealed class GetAutomationStatsHandler(IAutomationStatsReader reader, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<GetAutomationStats, AutomationStatsDto>
{
    public Task<AutomationStatsDto> Handle(GetAutomationStats request, CancellationToken cancellationToken)
    {
        var to = (request.To ?? clock.GetUtcNow()).ToUniversalTime();
        var from = (request.From ?? to.AddDays(-30)).ToUniversalTime();
        return reader.ReadAsync(tenant.TenantId, from, to, cancellationToken);
    }
}
