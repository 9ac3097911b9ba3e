using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Behaviours;
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
}
