namespace CrmTenancy.Application.Users;

public static class SignUpRules
{
    /// <summary>Long enough for any passphrase, short enough that hashing it is cheap.</summary>
    public const int PasswordMaxLength = 256;
}
