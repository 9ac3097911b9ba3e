using CrmTenancy.Application.Common.Behaviours;
using FluentValidation;

namespace CrmTenancy.UnitTests.Application.Common.Behaviours;

public sealed class ValidationBehaviourTests
{
    private static InlineValidator<TenantCommand> NameRequired()
    {
        var validator = new InlineValidator<TenantCommand>();
        validator.RuleFor(x => x.Name).NotEmpty();
        return validator;
    }

    private static InlineValidator<TenantCommand> NameShort()
    {
        var validator = new InlineValidator<TenantCommand>();
        validator.RuleFor(x => x.Name).MaximumLength(3).WithErrorCode("name-short");
        return validator;
    }

    [Fact]
    public async Task An_invalid_request_throws_ValidationException_and_does_not_call_the_handler()
    {
        var calls = 0;
        var behaviour = new ValidationBehaviour<TenantCommand, int>([NameRequired()]);

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            behaviour.Handle(new TenantCommand(""), CancellationToken.None, () => Task.FromResult(++calls)));

        Assert.Equal(0, calls);
        Assert.Equal(nameof(TenantCommand.Name), Assert.Single(error.Errors).PropertyName);
    }

    [Fact]
    public async Task The_failures_of_every_validator_are_reported_together()
    {
        var calls = 0;
        var longNameRequired = new InlineValidator<TenantCommand>();
        longNameRequired.RuleFor(x => x.Name).MinimumLength(10).WithErrorCode("name-long");
        var behaviour = new ValidationBehaviour<TenantCommand, int>([NameShort(), longNameRequired]);

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            behaviour.Handle(new TenantCommand("abcdef"), CancellationToken.None, () => Task.FromResult(++calls)));

        Assert.Equal(0, calls);
        Assert.Equal(new[] { "name-short", "name-long" }, error.Errors.Select(e => e.ErrorCode).ToArray());
    }

    [Fact]
    public async Task A_request_failing_only_the_second_validator_is_still_refused()
    {
        var behaviour = new ValidationBehaviour<TenantCommand, int>([NameRequired(), NameShort()]);

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            behaviour.Handle(new TenantCommand("abcdef"), CancellationToken.None, () => Task.FromResult(1)));

        Assert.Equal("name-short", Assert.Single(error.Errors).ErrorCode);
    }

    [Fact]
    public async Task A_valid_request_reaches_the_handler()
    {
        var behaviour = new ValidationBehaviour<TenantCommand, int>([NameRequired(), NameShort()]);

        var result = await behaviour.Handle(new TenantCommand("abc"), CancellationToken.None, () => Task.FromResult(5));

        Assert.Equal(5, result);
    }

    [Fact]
    public async Task A_request_without_validators_reaches_the_handler()
    {
        var behaviour = new ValidationBehaviour<TenantCommand, int>([]);

        var result = await behaviour.Handle(new TenantCommand(""), CancellationToken.None, () => Task.FromResult(9));

        Assert.Equal(9, result);
    }
}
