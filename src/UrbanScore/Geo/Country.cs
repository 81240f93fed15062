namespace UrbanScore.Geo;

/// <summary>A country of the embedded Natural Earth 1:50m boundaries, with its ISO 3166-1 codes.</summary>
/// <param name="Name">Natural Earth's short English name ("France", "United States of America").</param>
/// <param name="OfficialName">The ISO English name when it differs, else <paramref name="Name"/>.</param>
/// <param name="Alpha2">ISO 3166-1 alpha-2 ("FR"), empty for territories without a code.</param>
/// <param name="Alpha3">ISO 3166-1 alpha-3 ("FRA"), empty for territories without a code.</param>
/// <param name="Numeric">ISO 3166-1 numeric ("250"), empty for territories without a code.</param>
public sealed record Country(string Name, string OfficialName, string Alpha2, string Alpha3, string Numeric);
