using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>Creates users through Identity's UserManager: password rules, hashing, normalisation, per-tenant email uniqueness.</summary>
public sealed class UserAccounts(UserManager<User> users) : IUserAccounts
{
    public async Task CreateAsync(User user, string password, CancellationToken cancellationToken)
    {
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
            return;
        if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            throw Application.Users.UserConflicts.UserExists.ToException();
        throw new ValidationException(result.Errors.Select(e => new ValidationFailure(FieldOf(e.Code), e.Description)));
    }

    private static string FieldOf(string code) =>
        code.StartsWith("Password", StringComparison.Ordinal) ? "password"
        : code.Contains("Email", StringComparison.Ordinal) || code.Contains("UserName", StringComparison.Ordinal) ? "email"
        : "user";
}
