using System.Reflection;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Infrastructure.Persistence;

namespace CrmTenancy.ArchitectureTests;

/// <summary>The assemblies of the four layers, found by a type each one owns.</summary>
internal static class Layers
{
    public static readonly Assembly Domain = typeof(Customer).Assembly;
    public static readonly Assembly Application = typeof(ITenantContext).Assembly;
    public static readonly Assembly Infrastructure = typeof(CrmDbContext).Assembly;
    public static readonly Assembly WebApi = typeof(Program).Assembly;

    /// <summary>Every type of an assembly, including the ones a partial load would drop.</summary>
    public static IReadOnlyList<Type> TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>().ToList();
        }
    }

    /// <summary>Classes a container could build: not abstract, not interfaces, not compiler-generated.</summary>
    public static IEnumerable<Type> ConcreteClassesOf(Assembly assembly) =>
        TypesOf(assembly).Where(t => t is { IsClass: true, IsAbstract: false } && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false));

    /// <summary>The type and its base classes, nearest first.</summary>
    public static IEnumerable<Type> SelfAndBases(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
            yield return current;
    }

    /// <summary>The closed form of <paramref name="openGeneric"/> among the type's base classes, if any.</summary>
    public static Type? ClosedBase(Type type, Type openGeneric) =>
        SelfAndBases(type).FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == openGeneric);

    /// <summary>The closed forms of an open generic interface the type implements.</summary>
    public static IEnumerable<Type> ClosedInterfaces(Type type, Type openGeneric) =>
        type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == openGeneric);

    /// <summary>The repository's root (where CrmTenancy.sln is), for the tests that read the sources.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CrmTenancy.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (CrmTenancy.sln) is not above the test's directory.");
    }
}
