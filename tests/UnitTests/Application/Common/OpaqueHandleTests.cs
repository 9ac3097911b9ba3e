using System.Security.Cryptography;
using System.Text;
using CrmTenancy.Application.Common.Security;

namespace CrmTenancy.UnitTests.Application.Common;

public sealed class OpaqueHandleTests
{
    private static readonly Guid Tenant = Guid.Parse("0198a000-0000-7000-8000-00000000000a");

    [Fact]
    public void A_handle_names_its_tenant_and_round_trips()
    {
        var (handle, hash) = OpaqueHandle.Create(Tenant);

        Assert.Equal(OpaqueHandle.MaxLength, handle.Length);
        Assert.StartsWith(Tenant.ToString("N"), handle, StringComparison.Ordinal);
        Assert.Equal('.', handle[32]);
        Assert.True(OpaqueHandle.TryReadTenant(handle, out var tenant));
        Assert.Equal(Tenant, tenant);
        Assert.Equal(hash, OpaqueHandle.Hash(handle));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handle))), hash);
    }

    [Fact]
    public void A_tenantless_handle_reads_as_no_tenant()
    {
        var (handle, _) = OpaqueHandle.Create(null);

        Assert.StartsWith(new string('0', 32) + ".", handle, StringComparison.Ordinal);
        Assert.True(OpaqueHandle.TryReadTenant(handle, out var tenant));
        Assert.Null(tenant);
    }

    [Fact]
    public void Two_handles_of_one_tenant_differ_and_so_do_their_hashes()
    {
        var first = OpaqueHandle.Create(Tenant);
        var second = OpaqueHandle.Create(Tenant);

        Assert.NotEqual(first.Handle, second.Handle);
        Assert.NotEqual(first.Hash, second.Hash);
    }

    [Fact]
    public void A_handle_with_an_edited_tenant_prefix_reads_as_the_other_tenant_and_hashes_differently()
    {
        var other = Guid.Parse("0198a000-0000-7000-8000-00000000000b");
        var (handle, hash) = OpaqueHandle.Create(Tenant);
        var edited = other.ToString("N") + handle[32..];

        Assert.True(OpaqueHandle.TryReadTenant(edited, out var tenant));
        Assert.Equal(other, tenant);
        Assert.NotEqual(hash, OpaqueHandle.Hash(edited));
    }

    /// <summary>A well-formed handle of <see cref="Tenant"/> with a fixed random part, then broken one way each.</summary>
    private static readonly string Valid = $"{Tenant:N}.{new string('A', 43)}";

    public static TheoryData<string, string?> Malformed => new()
    {
        { "null", null },
        { "empty", "" },
        { "short", "short" },
        { "tenant not hex", "zz" + Valid[2..] },
        { "no dot", Valid[..32] + "X" + Valid[33..] },
        { "one short", Valid[..^1] },
        { "one long", Valid + "A" },
        { "plus", Valid[..^1] + "+" },
        { "dashed tenant", $"{Tenant:D}.{new string('A', 39)}" },
        { "dash for dot", Valid.Replace('.', '-') },
    };

    [Fact]
    public void The_valid_sample_is_valid()
    {
        Assert.Equal(OpaqueHandle.MaxLength, Valid.Length);
        Assert.True(OpaqueHandle.TryReadTenant(Valid, out var tenant));
        Assert.Equal(Tenant, tenant);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_handle_is_refused(string malformation, string? handle)
    {
        Assert.False(OpaqueHandle.TryReadTenant(handle, out var tenant), malformation);
        Assert.Null(tenant);
    }

    [Fact]
    public void A_handle_with_one_character_more_or_less_is_refused()
    {
        var (handle, _) = OpaqueHandle.Create(Tenant);

        Assert.False(OpaqueHandle.TryReadTenant(handle + "A", out _));
        Assert.False(OpaqueHandle.TryReadTenant(handle[..^1], out _));
    }
}
