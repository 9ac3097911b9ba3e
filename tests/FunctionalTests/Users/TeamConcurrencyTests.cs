using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.FunctionalTests.Users;

/// <summary>Two administrators demoting each other at the same moment: the tenant still keeps an administrator.</summary>
public sealed class TeamConcurrencyTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_the_tenant_an_active_admin()
    {
        var first = await Factory.AddUserAsync(TenantA, "first@a.example", UserRole.TenantAdmin);
        var second = await Factory.AddUserAsync(TenantA, "second@a.example", UserRole.TenantAdmin);
        for (var round = 0; round < 6; round++)
        {
            await MakeAdminsAsync(first.Id, second.Id);
            using var asFirst = await Factory.ClientForAsync(first);
            using var asSecond = await Factory.ClientForAsync(second);

            var answers = await Task.WhenAll(
                asFirst.PutAsJsonAsync($"/api/team/users/{second.Id}/role", new { role = "member" }),
                asSecond.PutAsJsonAsync($"/api/team/users/{first.Id}/role", new { role = "member" }));

            await using var db = Factory.Database.Owner();
            var admins = await db.Users.IgnoreQueryFilters().CountAsync(u => u.TenantId == TenantA.Id && u.Role == UserRole.TenantAdmin && u.DeactivatedAt == null);
            Assert.True(admins >= 1, $"round {round}: no active admin left; answers {string.Join(", ", answers.Select(a => (int)a.StatusCode))}");
            // One demotion may win; the other is refused (the last admin, a concurrent update, or its token was invalidated).
            Assert.Contains(answers, a => a.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Unauthorized);
            foreach (var answer in answers)
                answer.Dispose();
        }
    }

    private async Task MakeAdminsAsync(params Guid[] ids)
    {
        await using var db = Factory.Database.Owner();
        foreach (var user in await db.Users.IgnoreQueryFilters().Where(u => ids.Contains(u.Id)).ToListAsync())
            user.ChangeRole(UserRole.TenantAdmin);
        await db.SaveChangesAsync();
    }
}
