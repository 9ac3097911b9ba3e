using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Domain.EmailTemplates;
using Fluid;
using Fluid.Ast;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// Email templates in Liquid, through Fluid. Sandboxed: a template sees only the merge values it is given (strings,
/// set one by one on its context: no object of the application, so no member to reach through), may not include or
/// render other files, and runs at most <see cref="MaxSteps"/> steps. Every merged value is HTML-escaped in the HTML
/// body (Fluid encodes output with the encoder it renders with); the subject and the text body are plain text.
/// </summary>
public sealed partial class FluidTemplateEngine : ITemplateEngine
{
    public const int MaxSteps = 10_000;
    private const int CacheSize = 2_000;

    private static readonly FluidParser Parser = new(new FluidParserOptions { AllowFunctions = false });
    public const int MaxRange = 100;
    public const int MaxOutput = 1_000_000;
    private static readonly TemplateOptions Options = NewOptions();

    /// <summary>Without <c>raw</c>, which would print a merged value unescaped into the HTML body.</summary>
    private static TemplateOptions NewOptions()
    {
        var options = new TemplateOptions { MaxSteps = MaxSteps, MaxRecursion = 10, StrictFilters = true };
        options.Filters.Remove("raw");
        return options;
    }
    private readonly ConcurrentDictionary<string, IFluidTemplate> _parsed = new(StringComparer.Ordinal);

    public TemplateProblem? Check(string source)
    {
        if (string.IsNullOrEmpty(source))
            return null;
        if (!Parser.TryParse(source, out var template, out var error))
            return new TemplateProblem(LineOf(error), error);
        var names = new NameCollector();
        names.VisitTemplate(template);
        if (names.Forbidden is var (tag, word))
            return new TemplateProblem(LineOfWord(source, word), $"'{tag}' is not allowed in an email template.");
        foreach (var name in names.Read)
        {
            if (!MergeFields.All.Contains(name) && !names.Assigned.Contains(name))
                return new TemplateProblem(LineOfWord(source, name),
                    $"Unknown field '{name}'. The merge fields are {string.Join(", ", MergeFields.All.Order(StringComparer.Ordinal))}.");
        }
        // Filters are found when the template runs: one trial render with every field set finds an unknown one.
        try
        {
            template.Render(Context(MergeFields.All.ToDictionary(f => f, f => (string?)f)), NullEncoder.Default);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TemplateProblem(LineOf(e.Message), e.Message);
        }
        return null;
    }

    public RenderedEmail Render(string subject, string htmlBody, string textBody, IReadOnlyDictionary<string, string?> values)
    {
        var context = Context(values);
        try
        {
            var renderedSubject = Parse(subject).Render(context, NullEncoder.Default).ReplaceLineEndings(" ").Trim();
            var rendered = new RenderedEmail(
                renderedSubject.Length > 998 ? renderedSubject[..998] : renderedSubject,
                Parse(htmlBody).Render(context, HtmlEncoder.Default),
                Parse(textBody).Render(context, NullEncoder.Default));
            if (rendered.HtmlBody.Length > MaxOutput || rendered.TextBody.Length > MaxOutput)
                throw new TemplateRenderException($"The email is longer than {MaxOutput:N0} characters.");
            return rendered;
        }
        catch (Exception e) when (e is not (TemplateRenderException or OperationCanceledException))
        {
            throw new TemplateRenderException(e.Message);
        }
    }

    private IFluidTemplate Parse(string source)
    {
        if (_parsed.TryGetValue(source, out var cached))
            return cached;
        var template = Parser.Parse(source);
        if (_parsed.Count >= CacheSize)
            _parsed.Clear();
        _parsed[source] = template;
        return template;
    }

    private static TemplateContext Context(IReadOnlyDictionary<string, string?> values)
    {
        var context = new TemplateContext(Options);
        foreach (var (name, value) in values)
            context.SetValue(name, value ?? "");
        return context;
    }

    /// <summary>Fluid's messages end in "(line:column)".</summary>
    private static int LineOf(string message) =>
        Position().Match(message) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;

    /// <summary>The first line where <paramref name="word"/> appears inside a tag or an output.</summary>
    private static int LineOfWord(string source, string word)
    {
        foreach (Match tag in Tags().Matches(source))
        {
            var at = Regex.Match(tag.Value, $@"\b{Regex.Escape(word)}\b");
            if (at.Success)
                return 1 + source.AsSpan(0, tag.Index + at.Index).Count('\n');
        }
        return 1;
    }

    [GeneratedRegex(@"\((\d+):\d+\)")]
    private static partial Regex Position();

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex Tags();

    /// <summary>The root names a template reads, the names it assigns itself, and any tag that reaches outside it.</summary>
    private sealed class NameCollector : AstVisitor
    {
        public List<string> Read { get; } = [];
        public HashSet<string> Assigned { get; } = new(StringComparer.Ordinal) { "forloop", "tablerowloop", "empty", "blank", "nil", "null", "true", "false" };
        /// <summary>The first thing refused, and the word of the source that shows where it is.</summary>
        public (string What, string Word)? Forbidden { get; private set; }

        private void Refuse(string what, string? word = null) => Forbidden ??= (what, word ?? what);

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            if (memberExpression.Segments[0] is IdentifierSegment root)
                Read.Add(root.Identifier);
            return base.VisitMemberExpression(memberExpression);
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            Assigned.Add(forStatement.Identifier);
            return base.VisitForStatement(forStatement);
        }

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            // Assign and capture could grow a value without bound (x = x | append: x); a template merges, it does not compute.
            Refuse("assign");
            return assignStatement;
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            Refuse("capture");
            return captureStatement;
        }

        protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
        {
            // Fluid makes a range's whole array: only literal ranges of at most MaxRange numbers.
            if (rangeExpression.From is not LiteralExpression from || rangeExpression.To is not LiteralExpression to
                || !int.TryParse(from.Value.ToStringValue(), out var low) || !int.TryParse(to.Value.ToStringValue(), out var high)
                || high - low > MaxRange)
                Refuse($"a range of more than {MaxRange} numbers", "..");
            return base.VisitRangeExpression(rangeExpression);
        }

        protected override Expression VisitFilterExpression(FilterExpression filterExpression)
        {
            if (filterExpression.Name == "raw")
                Refuse("raw");
            return base.VisitFilterExpression(filterExpression);
        }

        protected override Statement VisitIncludeStatement(IncludeStatement includeStatement)
        {
            Refuse("include");
            return includeStatement;
        }

        protected override Statement VisitRenderStatement(RenderStatement renderStatement)
        {
            Refuse("render");
            return renderStatement;
        }

        protected override Statement VisitMacroStatement(MacroStatement macroStatement)
        {
            Refuse("macro");
            return macroStatement;
        }

        protected override Statement VisitFromStatement(FromStatement fromStatement)
        {
            Refuse("from");
            return fromStatement;
        }
    }
}
