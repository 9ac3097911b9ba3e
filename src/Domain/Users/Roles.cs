using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Users;

public static class Roles
{
    /// <summary>The one check that a role is one the product knows (a number cast to the enum is not).</summary>
    public static UserRole Defined(UserRole role) =>
        Enum.IsDefined(role) ? role : throw new DomainRuleException("role-invalid", "The role is not one of TenantAdmin or Member.");
}
