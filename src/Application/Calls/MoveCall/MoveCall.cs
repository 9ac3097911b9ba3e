using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Calls;
using CrmTenancy.Application.Campaigns;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Calls.MoveCall;

/// <summary>How a call moves on; <c>complete</c> takes its outcome (<see cref="CompleteCall"/>).</summary>
public enum CallMove
{
    Ring,
    Start,
    NoAnswer,
    Busy,
    Failed,
    Cancel,
}

public sealed record MoveCall(Guid Id, CallMove Move, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class MoveCallValidator : AbstractValidator<MoveCall>
{
    public MoveCallValidator() => RuleFor(x => x.Move).IsInEnum();
}

/// <summary>
/// The domain decides which moves are allowed (409 <c>call-status-transition</c>). In the same transaction a campaign
/// call's target records the attempt: reached when the call starts, attempted when it ends unanswered.
/// </summary>
public sealed class MoveCallHandler(IRepository<Call> calls, IRepository<CampaignTarget> targets, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<MoveCall, Unit>
{
    public async Task<Unit> Handle(MoveCall request, CancellationToken cancellationToken)
    {
        var call = await calls.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var now = clock.GetUtcNow();
        switch (request.Move)
        {
            case CallMove.Ring: call.Ring(); break;
            case CallMove.Start: call.Start(now); break;
            case CallMove.NoAnswer: call.EndUnanswered(CallStatus.NoAnswer, now); break;
            case CallMove.Busy: call.EndUnanswered(CallStatus.Busy, now); break;
            case CallMove.Failed: call.EndUnanswered(CallStatus.Failed, now); break;
            case CallMove.Cancel: call.Cancel(); break;
            default: throw new ArgumentOutOfRangeException(nameof(request), request.Move, "Not a call move.");
        }
        if (request.Move is not (CallMove.Ring or CallMove.Cancel))
            await CallTargets.RecordAsync(call, targets, tenant, now, reached: request.Move == CallMove.Start, completed: false, ended: request.Move != CallMove.Start, cancellationToken);
        return Unit.Value;
    }
}
