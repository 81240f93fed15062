using Mono.Cecil;
using Mono.Cecil.Cil;
using UrbanScore.Runs;

namespace UrbanScore.Tests.Architecture;

/// <summary>
/// The engine's folders (namespaces) form layers that point one way, as docs/architecture.md draws them: a folder
/// may use its own types and those of the folders below it, never one above, so no two folders depend on each other.
/// Read from the compiled assembly with Mono.Cecil: signatures, base types, attributes and every IL operand, so a
/// reference hidden in a method body counts too.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Bottom to top. "" is the root namespace: the words every layer speaks (exception, failure kinds, version, atomic files).</summary>
    private static readonly string[] s_layers =
    [
        "", "Observability", "Crs", "Tiling", "Geo", "Sources", "Wmts", "Inference", "Imaging", "Pipeline", "Storage", "Rendering", "Runs",
    ];

    [Fact]
    public void Engine_EveryFolder_IsALayer()
    {
        var folders = EngineTypes().Select(t => Folder(t.Namespace)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        Assert.Empty(folders.Except(s_layers, StringComparer.Ordinal));
    }

    [Fact]
    public void Engine_Folders_DependOnlyOnThemselvesAndLayersBelow()
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in EngineTypes())
        {
            var from = Folder(type.Namespace);
            foreach (var used in References(type))
            {
                var to = Folder(used);
                if (Array.IndexOf(s_layers, to) > Array.IndexOf(s_layers, from))
                {
                    violations.Add($"{from} -> {to} ({type.FullName})");
                }
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void Engine_References_NoAspNetCoreAndNoTool()
    {
        using var module = ModuleDefinition.ReadModule(typeof(ScoreRun).Assembly.Location);

        var references = module.AssemblyReferences.Select(a => a.Name).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("UrbanScore.", StringComparison.Ordinal));
    }

    [Fact]
    public void References_ScoreStore_SeesItsPipelineEdge()
    {
        // The rule itself must see a body-only reference upward: ScoreStore (Storage) is a pipeline sink, so Storage
        // uses Pipeline; the reverse would be a violation. Check the reader finds the Storage -> Pipeline edge.
        var store = EngineTypes().Single(t => t.FullName == "UrbanScore.Storage.ScoreStore");

        Assert.Contains(References(store), ns => ns == "UrbanScore.Pipeline");
    }

    private static List<TypeDefinition> EngineTypes()
    {
        var module = ModuleDefinition.ReadModule(typeof(ScoreRun).Assembly.Location);
        return [.. module.Types.Where(t => t.Namespace.StartsWith("UrbanScore", StringComparison.Ordinal))];
    }

    /// <summary>"UrbanScore.Tiling" → "Tiling"; "UrbanScore" → "".</summary>
    private static string Folder(string ns)
    {
        var rest = ns.Length > "UrbanScore".Length ? ns["UrbanScore.".Length..] : string.Empty;
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>The UrbanScore namespaces <paramref name="type"/> and its nested types use.</summary>
    private static HashSet<string> References(TypeDefinition type)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        void Add(TypeReference? reference)
        {
            while (reference is not null)
            {
                switch (reference)
                {
                    case GenericInstanceType generic:
                        foreach (var argument in generic.GenericArguments)
                        {
                            Add(argument);
                        }

                        reference = generic.ElementType;
                        continue;
                    case TypeSpecification specification:
                        reference = specification.ElementType;
                        continue;
                    case GenericParameter:
                        return;
                }

                var outer = reference;
                while (outer.DeclaringType is not null)
                {
                    outer = outer.DeclaringType;
                }

                if (outer.Scope == type.Module && outer.Namespace.StartsWith("UrbanScore", StringComparison.Ordinal))
                {
                    result.Add(outer.Namespace);
                }

                return;
            }
        }

        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
            }
        }

        foreach (var t in Flatten(type))
        {
            Add(t.BaseType);
            AddAttributes(t);
            foreach (var i in t.Interfaces)
            {
                Add(i.InterfaceType);
            }

            foreach (var field in t.Fields)
            {
                Add(field.FieldType);
                AddAttributes(field);
            }

            foreach (var property in t.Properties)
            {
                Add(property.PropertyType);
                AddAttributes(property);
            }

            foreach (var method in t.Methods)
            {
                Add(method.ReturnType);
                AddAttributes(method);
                foreach (var parameter in method.Parameters)
                {
                    Add(parameter.ParameterType);
                }

                if (!method.HasBody)
                {
                    continue;
                }

                foreach (var variable in method.Body.Variables)
                {
                    Add(variable.VariableType);
                }

                foreach (var instruction in method.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference typeReference:
                            Add(typeReference);
                            break;
                        case MethodReference methodReference:
                            Add(methodReference.DeclaringType);
                            Add(methodReference.ReturnType);
                            if (methodReference is GenericInstanceMethod genericMethod)
                            {
                                foreach (var argument in genericMethod.GenericArguments)
                                {
                                    Add(argument);
                                }
                            }

                            break;
                        case FieldReference fieldReference:
                            Add(fieldReference.DeclaringType);
                            Add(fieldReference.FieldType);
                            break;
                    }
                }
            }
        }

        return result;
    }

    private static IEnumerable<TypeDefinition> Flatten(TypeDefinition type)
    {
        yield return type;
        foreach (var nested in type.NestedTypes)
        {
            foreach (var inner in Flatten(nested))
            {
                yield return inner;
            }
        }
    }
}
