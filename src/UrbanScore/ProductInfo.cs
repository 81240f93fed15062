using System.Reflection;

namespace UrbanScore;

/// <summary>Version information of the UrbanScore library.</summary>
public static class ProductInfo
{
    /// <summary>The informational version (e.g. <c>0.1.0</c> or <c>0.1.0+abc123</c>).</summary>
    public static string Version { get; } =
        typeof(ProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "0.0.0";
}
