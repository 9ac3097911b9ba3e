using CrmTenancy.Application.Common.Errors;

namespace CrmTenancy.Application.Contacts;

/// <summary>The contacts module's conflicts: its handlers throw them, and the database's constraints map to them.</summary>
public static class ContactConflicts
{
    public static readonly Conflict EmailTaken = new("contact-email-taken", "Another contact of this tenant already has this email.");

    /// <summary>Two contacts were made the customer's primary at once (the database's exclusion constraint).</summary>
    public static readonly Conflict PrimaryTaken = new("duplicate", "The customer already has a primary contact.");
}
