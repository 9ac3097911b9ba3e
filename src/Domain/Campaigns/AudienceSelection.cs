using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Campaigns;

/// <summary>A contact or lead as the audience found it: who, and by which phone and email it would be reached.</summary>
public sealed record AudiencePerson(Guid Id, string Name, string? Phone, string? Email, string? NormalizedEmail);

/// <summary>A target the campaign already has: its contact or lead, and the phone and email it was made with.</summary>
public sealed record ExistingTarget(Guid? ContactId, Guid? LeadId, string? Phone, string? Email);

/// <summary>
/// Turns the people an audience found into a campaign's new targets: only people the channel can reach (a phone for
/// voice, an email for email), none the campaign already targets (by id, or a lead with the email or phone of a target
/// it has), and a person found both as a contact and as a lead (the same email, or the same phone number whatever its
/// punctuation) once, as the contact.
/// </summary>
public static class AudienceSelection
{
    public static List<CampaignTarget> NewTargets(
        Campaign campaign, IEnumerable<AudiencePerson> contacts, IEnumerable<AudiencePerson> leads, IReadOnlyCollection<ExistingTarget> existing)
    {
        var targets = new List<CampaignTarget>();
        var targetedContacts = existing.Where(t => t.ContactId is not null).Select(t => t.ContactId!.Value).ToHashSet();
        var targetedLeads = existing.Where(t => t.LeadId is not null).Select(t => t.LeadId!.Value).ToHashSet();
        // Every target the campaign has, and its lead targets apart: a contact is left out only when it is a lead target's person.
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var reachedAsLead = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in existing)
        {
            var person = new AudiencePerson(Guid.Empty, "", target.Phone, target.Email, EmailAddress.NormalizeOptional(target.Email));
            Remember(reached, person);
            if (target.LeadId is not null)
                Remember(reachedAsLead, person);
        }
        var contactKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var contact in contacts.Where(p => Reachable(p, campaign.Channel)))
        {
            Remember(contactKeys, contact);
            if (!targetedContacts.Contains(contact.Id) && !Keys(contact).Any(reachedAsLead.Contains))
                targets.Add(CampaignTarget.ForContact(campaign, contact.Id, contact.Name, Clean(contact.Phone), Clean(contact.Email)));
        }
        foreach (var lead in leads.Where(p => Reachable(p, campaign.Channel)))
        {
            if (targetedLeads.Contains(lead.Id) || Keys(lead).Any(key => reached.Contains(key) || contactKeys.Contains(key)))
                continue;
            targets.Add(CampaignTarget.ForLead(campaign, lead.Id, lead.Name, Clean(lead.Phone), Clean(lead.Email)));
        }
        return targets;
    }

    public static bool Reachable(AudiencePerson person, CampaignChannel channel) =>
        channel == CampaignChannel.Voice ? PhoneKey(person.Phone) is not null : !string.IsNullOrWhiteSpace(person.Email);

    /// <summary>The digits of a phone number, or none when it has too few to dial.</summary>
    public static string? PhoneKey(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
            return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 5 ? null : digits;
    }

    private static void Remember(HashSet<string> reached, AudiencePerson person)
    {
        foreach (var key in Keys(person))
            reached.Add(key);
    }

    private static IEnumerable<string> Keys(AudiencePerson person)
    {
        if (!string.IsNullOrEmpty(person.NormalizedEmail))
            yield return "email:" + person.NormalizedEmail;
        if (PhoneKey(person.Phone) is { } phone)
            yield return "phone:" + phone;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
