using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmTenancy.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Ends a query tagged <see cref="Tag"/> with <c>FOR NO KEY UPDATE OF</c> its main table: the rows a command is about to
/// change are locked until its transaction ends (<see cref="Application.Common.Specifications.ILocksForChange"/>). The
/// lock is taken by the read itself, in the same round trip. NO KEY UPDATE does not block inserts that merely refer to
/// the row (a contact added to the customer).
/// </summary>
public sealed class RowLockInterceptor : DbCommandInterceptor
{
    public const string Tag = "row lock: for change";

    public static readonly RowLockInterceptor Instance = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Lock(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Lock(command);
        return ValueTask.FromResult(result);
    }

    private static void Lock(DbCommand command)
    {
        if (!command.CommandText.StartsWith("-- " + Tag, StringComparison.Ordinal))
            return;
        // EF Core writes "FROM <table> AS <alias>" for the query's own table first; lock that table's rows only (a
        // joined or filtering table's rows are not the command's to change).
        var from = command.CommandText.IndexOf("\nFROM ", StringComparison.Ordinal);
        var alias = from < 0 ? null : command.CommandText[(from + 6)..].Split([' ', '\n'], 4) is [_, "AS", var name, ..] ? name : null;
        command.CommandText += alias is null ? "\nFOR NO KEY UPDATE" : $"\nFOR NO KEY UPDATE OF {alias}";
    }
}
