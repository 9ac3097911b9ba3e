using CrmTenancy.Infrastructure.Identity;
using NSubstitute;

namespace CrmTenancy.TestSupport;

/// <summary>A signing key source over a list, as <see cref="DatabaseSigningKeySource"/> behaves, for a key store on a clock the test moves.</summary>
public static class ListSigningKeySource
{
    /// <summary>
    /// Newest first; a key is created when none is active; rotation retires every key and adds one. A substitute, so
    /// a test can count the loads.
    /// </summary>
    public static ISigningKeySource Over(List<SigningKey> stored, Func<DateTimeOffset> now)
    {
        var source = Substitute.For<ISigningKeySource>();
        source.LoadOrCreateAsync(Arg.Any<CancellationToken>()).Returns(_ =>
        {
            if (stored.All(k => k.RetiredAt is not null))
                stored.Add(SigningKey.Generate(now()));
            return Task.FromResult<IReadOnlyList<SigningKey>>(stored.OrderByDescending(k => k.CreatedAt).ToList());
        });
        source.RotateAsync(Arg.Any<CancellationToken>()).Returns(_ =>
        {
            foreach (var key in stored)
                key.Retire(now());
            stored.Add(SigningKey.Generate(now()));
            return Task.CompletedTask;
        });
        return source;
    }
}
