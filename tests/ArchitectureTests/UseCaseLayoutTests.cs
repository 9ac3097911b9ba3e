using System.Text.RegularExpressions;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.ArchitectureTests;

/// <summary>
/// Vertical slices: every command and query lives in CrmTenancy.Application.&lt;Module&gt;.&lt;UseCase&gt;, one folder
/// per use case, next to its handler.
/// </summary>
public sealed partial class UseCaseLayoutTests
{
    [GeneratedRegex(@"^CrmTenancy\.Application\.(?<module>[A-Z][A-Za-z0-9]*)\.(?<useCase>[A-Z][A-Za-z0-9]*)$")]
    private static partial Regex UseCaseNamespace();

    private static readonly string[] NotModules = ["Common", "Abstractions"];

    private static List<Type> Requests()
    {
        var requests = Layers.ConcreteClassesOf(Layers.Application)
            .Concat(Layers.TypesOf(Layers.Application).Where(t => t is { IsValueType: true, IsEnum: false }))
            .Where(t => Layers.ClosedInterfaces(t, typeof(ICommand<>)).Any() || Layers.ClosedInterfaces(t, typeof(IQuery<>)).Any())
            .Distinct()
            .ToList();
        Assert.NotEmpty(requests);
        return requests;
    }

    [Fact]
    public void Every_command_and_query_lives_in_a_use_case_folder_of_a_module()
    {
        Assert.All(Requests(), request =>
        {
            var match = UseCaseNamespace().Match(request.Namespace ?? "");
            Assert.True(match.Success,
                $"{request.FullName} is not in a namespace CrmTenancy.Application.<Module>.<UseCase>.");
            Assert.DoesNotContain(match.Groups["module"].Value, NotModules);
        });
    }

    [Fact]
    public void Every_command_and_query_has_its_handler_in_the_same_use_case_folder()
    {
        var handlers = Layers.ConcreteClassesOf(Layers.Application)
            .SelectMany(h => Layers.ClosedInterfaces(h, typeof(IRequestHandler<,>)).Select(i => (Request: i.GetGenericArguments()[0], Handler: h)))
            .ToList();

        Assert.All(Requests(), request =>
        {
            var handler = handlers.Where(h => h.Request == request).Select(h => h.Handler).ToList();
            Assert.True(handler.Count == 1, $"{request.FullName} has {handler.Count} handlers; it needs exactly one.");
            Assert.Equal(request.Namespace, handler[0].Namespace);
        });
    }
}
