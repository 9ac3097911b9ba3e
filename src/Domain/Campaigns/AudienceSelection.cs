namespace CrmTenancy.Domain.Campaigns;

/// <summary>A contact or lead as the audience found it: who, and by which phone and email it would be reached.</summary>
public sealed record AudiencePerson(Guid Id, string Name, string? Phone, string? Email, string? NormalizedEmail);

/// <summary>
/// Turns the people an audience found into a campaign's new targets: only people the channel can reach (a phone for
/// voice, an email for email), none the campaign already targets, and a person found both as a contact and as a lead
/// (the same email, or the same phone number whatever its punctuation) once, as the contact.
/// </summary>
public static class AudienceSelection
{
    public static List<CampaignTarget> NewTargets(
        Campaign campaign, IEnumerable<AudiencePerson> contacts, IEnumerable<AudiencePerson> leads,
        IReadOnlySet<Guid> targetedContacts, IReadOnlySet<Guid> targetedLeads)
    {
        var targets = new List<CampaignTarget>();
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var contact in contacts.Where(p => Reachable(p, campaign.Channel)))
        {
            Remember(reached, contact);
            if (!targetedContacts.Contains(contact.Id))
                targets.Add(CampaignTarget.ForContact(campaign, contact.Id, contact.Name, Clean(contact.Phone), Clean(contact.Email)));
        }
        foreach (var lead in leads.Where(p => Reachable(p, campaign.Channel)))
        {
            if (targetedLeads.Contains(lead.Id) || Keys(lead).Any(reached.Contains))
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
