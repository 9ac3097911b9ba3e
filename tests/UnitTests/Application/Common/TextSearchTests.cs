using CrmTenancy.Application.Common.Specifications;

namespace CrmTenancy.UnitTests.Application.Common;

public sealed class TextSearchTests
{
    [Theory]
    [InlineData("acme", "%acme%")]
    [InlineData("  ACME Ltd ", "%acme ltd%")]
    [InlineData("50%", @"%50\%%")]
    [InlineData("a_b", @"%a\_b%")]
    [InlineData(@"a\b", @"%a\\b%")]
    [InlineData(@"\%", @"%\\\%%")]
    [InlineData(@"%_\", @"%\%\_\\%")]
    public void Pattern_lowercases_trims_escapes_wildcards_and_wraps_in_percent(string term, string expected)
    {
        Assert.Equal(expected, TextSearch.Pattern(term));
    }

    [Fact]
    public void The_escape_character_is_a_backslash()
    {
        Assert.Equal('\\', TextSearch.EscapeCharacter);
    }

    [Theory]
    [InlineData("Acme Ltd", "acme", true)]
    [InlineData("ACME LTD", "me l", true)]
    [InlineData("Acme Ltd", "globex", false)]
    [InlineData("50% off", "50%", true)]
    [InlineData("500 off", "50%", false)]
    [InlineData("a_b", "a_b", true)]
    [InlineData("axb", "a_b", false)]
    [InlineData(@"C:\Temp", @"c:\temp", true)]
    [InlineData(@"C:Temp", @"c:\temp", false)]
    public void Matches_finds_the_term_case_insensitively_and_literally(string value, string term, bool expected)
    {
        Assert.Equal(expected, TextSearch.Matches(value, TextSearch.Pattern(term)));
    }

    [Fact]
    public void Matches_a_missing_value_never()
    {
        Assert.False(TextSearch.Matches(null, TextSearch.Pattern("a")));
    }

    /// <summary>
    /// Every value and term up to three characters over an alphabet of a letter and the three special characters:
    /// Matches(value, Pattern(term)) must answer exactly "value contains term".
    /// </summary>
    [Fact]
    public void Matches_agrees_with_a_plain_substring_search_for_every_short_string_of_special_characters()
    {
        var strings = new List<string> { "" };
        for (var length = 1; length <= 3; length++)
            strings.AddRange(strings.Where(s => s.Length == length - 1).SelectMany(s => "a\\%_".Select(c => s + c)).ToList());

        var disagreements =
            (from value in strings
             from term in strings.Where(t => t.Length > 0)
             where TextSearch.Matches(value, TextSearch.Pattern(term)) != value.Contains(term, StringComparison.Ordinal)
             select (value, term)).ToList();

        Assert.Equal(85, strings.Count);
        Assert.Empty(disagreements);
    }
}
