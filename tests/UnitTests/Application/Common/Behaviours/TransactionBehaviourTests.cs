using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Behaviours;
using CrmTenancy.Application.Common.Errors;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Common.Behaviours;

public sealed class TransactionBehaviourTests
{
    private readonly IUnitOfWork _unitOfWork = Substitute.For<IUnitOfWork>();

    [Fact]
    public async Task A_command_is_saved_once_after_its_handler()
    {
        var steps = new List<string>();
        _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>()).Returns(_ =>
        {
            steps.Add("save");
            return Task.CompletedTask;
        });
        var behaviour = new TransactionBehaviour<TenantCommand, int>(_unitOfWork);

        var result = await behaviour.Handle(new TenantCommand(), CancellationToken.None, () =>
        {
            steps.Add("handler");
            return Task.FromResult(11);
        });

        Assert.Equal(11, result);
        Assert.Equal(new[] { "handler", "save" }, steps.ToArray());
    }

    [Fact]
    public async Task A_command_is_saved_with_the_request_cancellation_token()
    {
        using var cancellation = new CancellationTokenSource();
        var behaviour = new TransactionBehaviour<SignUpCommand, int>(_unitOfWork);

        await behaviour.Handle(new SignUpCommand(), cancellation.Token, () => Task.FromResult(1));

        await _unitOfWork.Received(1).SaveChangesAsync(cancellation.Token);
    }

    [Fact]
    public async Task A_query_is_never_saved()
    {
        var behaviour = new TransactionBehaviour<TenantQuery, int>(_unitOfWork);

        var result = await behaviour.Handle(new TenantQuery(), CancellationToken.None, () => Task.FromResult(2));

        Assert.Equal(2, result);
        await _unitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
    }

    [Fact]
    public async Task A_request_that_is_not_a_command_is_never_saved()
    {
        var behaviour = new TransactionBehaviour<BareRequest, int>(_unitOfWork);

        await behaviour.Handle(new BareRequest(), CancellationToken.None, () => Task.FromResult(2));

        await _unitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
    }

    [Fact]
    public async Task A_command_whose_handler_fails_is_not_saved()
    {
        var behaviour = new TransactionBehaviour<TenantCommand, int>(_unitOfWork);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            behaviour.Handle(new TenantCommand(), CancellationToken.None, () => throw new InvalidOperationException("boom")));

        await _unitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
    }

    // ---- a command that lost a race runs again, a bounded number of times ----------------------------------------

    private static readonly ConflictException Lost = new(ConflictException.ConcurrentUpdate, "lost");

    [Fact]
    public async Task A_command_that_lost_a_race_runs_again_afresh_and_its_second_answer_stands()
    {
        _unitOfWork.IsConcurrencyVictim(Lost).Returns(true);
        var attempts = 0;
        var behaviour = new TransactionBehaviour<TenantCommand, int>(_unitOfWork);

        var result = await behaviour.Handle(new TenantCommand(), CancellationToken.None, () =>
            ++attempts == 1 ? throw Lost : Task.FromResult(attempts));

        Assert.Equal(2, result);
        Received.InOrder(() =>
        {
            _unitOfWork.BeginAsync(Arg.Any<CancellationToken>());
            _unitOfWork.RollbackAsync();
            _unitOfWork.Reset();
            _unitOfWork.BeginAsync(Arg.Any<CancellationToken>());
            _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task A_command_that_keeps_losing_gets_the_409_after_three_attempts()
    {
        _unitOfWork.IsConcurrencyVictim(Lost).Returns(true);
        var attempts = 0;
        var behaviour = new TransactionBehaviour<TenantCommand, int>(_unitOfWork);

        var thrown = await Assert.ThrowsAsync<ConflictException>(() =>
            behaviour.Handle(new TenantCommand(), CancellationToken.None, () => { attempts++; throw Lost; }));

        Assert.Same(Lost, thrown);
        Assert.Equal(TransactionBehaviour<TenantCommand, int>.MaxAttempts, attempts);
        _unitOfWork.Received(TransactionBehaviour<TenantCommand, int>.MaxAttempts - 1).Reset();
    }

    [Fact]
    public async Task A_conditional_change_and_a_command_with_outside_effects_never_run_again()
    {
        _unitOfWork.IsConcurrencyVictim(Lost).Returns(true);
        var attempts = 0;
        Task<int> Fail() { attempts++; throw Lost; }

        await Assert.ThrowsAsync<ConflictException>(() =>
            new TransactionBehaviour<ConditionalCommand, int>(_unitOfWork).Handle(new ConditionalCommand(3), CancellationToken.None, Fail));
        await Assert.ThrowsAsync<ConflictException>(() =>
            new TransactionBehaviour<EmailingCommand, int>(_unitOfWork).Handle(new EmailingCommand(), CancellationToken.None, Fail));

        Assert.Equal(2, attempts);
        _unitOfWork.DidNotReceive().Reset();
    }

    [Fact]
    public async Task An_unconditional_change_runs_again_and_another_failure_does_not()
    {
        _unitOfWork.IsConcurrencyVictim(Lost).Returns(true);
        var attempts = 0;

        Assert.Equal(2, await new TransactionBehaviour<ConditionalCommand, int>(_unitOfWork)
            .Handle(new ConditionalCommand(null), CancellationToken.None, () => ++attempts == 1 ? throw Lost : Task.FromResult(attempts)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new TransactionBehaviour<TenantCommand, int>(_unitOfWork)
            .Handle(new TenantCommand(), CancellationToken.None, () => { attempts++; throw new InvalidOperationException("boom"); }));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_deadlock_in_the_handlers_own_statement_is_answered_as_a_concurrent_update()
    {
        var deadlock = new InvalidOperationException("40P01");
        _unitOfWork.IsConcurrencyVictim(deadlock).Returns(true);

        var thrown = await Assert.ThrowsAsync<ConflictException>(() => new TransactionBehaviour<EmailingCommand, int>(_unitOfWork)
            .Handle(new EmailingCommand(), CancellationToken.None, () => throw deadlock));

        Assert.Equal(ConflictException.ConcurrentUpdate, thrown.Code);
    }
}
