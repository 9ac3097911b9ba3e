namespace CrmTenancy.Application.Common.Errors;

/// <summary>
/// A business conflict with one answer (409 with <see cref="Code"/>), whoever finds it: the handler's check before
/// the save, or the database's unique index or constraint at the save. Modules declare theirs next to their rules;
/// Infrastructure's entity configurations map their constraint names to them (the conflict catalogue).
/// </summary>
public sealed record Conflict(string Code, string Message)
{
    public ConflictException ToException() => new(Code, Message);
}
