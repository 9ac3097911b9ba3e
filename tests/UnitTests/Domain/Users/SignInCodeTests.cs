using CrmTenancy.Domain.Users;

namespace CrmTenancy.UnitTests.Domain.Users;

public sealed class SignInCodeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_code_is_six_digits_kept_only_as_a_hash_and_works_once()
    {
        var (entity, code) = SignInCode.Issue(Guid.NewGuid(), Guid.NewGuid(), Now);

        Assert.Matches("^[0-9]{6}$", code);
        Assert.DoesNotContain(code, entity.CodeHash);
        Assert.Equal(Now + SignInCode.Lifetime, entity.ExpiresAt);
        Assert.True(entity.TryUse(code, Now.AddMinutes(1)));
        Assert.Equal(Now.AddMinutes(1), entity.UsedAt);
        Assert.False(entity.TryUse(code, Now.AddMinutes(2)));
    }

    [Fact]
    public void Five_wrong_tries_end_the_code()
    {
        var (entity, code) = SignInCode.Issue(Guid.NewGuid(), Guid.NewGuid(), Now);
        var wrong = code == "123456" ? "654321" : "123456";

        for (var i = 0; i < SignInCode.MaxAttempts; i++)
            Assert.False(entity.TryUse(wrong, Now));

        Assert.Equal(SignInCode.MaxAttempts, entity.Attempts);
        Assert.False(entity.TryUse(code, Now));
        Assert.Null(entity.UsedAt);
    }

    [Fact]
    public void An_expired_code_does_not_work_and_the_same_digits_of_another_code_do_not_either()
    {
        var (entity, code) = SignInCode.Issue(Guid.NewGuid(), Guid.NewGuid(), Now);
        Assert.False(entity.TryUse(code, Now + SignInCode.Lifetime));

        var (other, _) = SignInCode.Issue(Guid.NewGuid(), Guid.NewGuid(), Now);
        Assert.NotEqual(other.CodeHash, SignInCode.Issue(other.TenantId, other.UserId, Now).Entity.CodeHash);
    }
}
