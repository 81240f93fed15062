using System.CommandLine;
using UrbanScore.Analysis;
using UrbanScore.Tiling;

namespace UrbanScore.Cli.Commands;

/// <summary>How <c>stats</c> and <c>compare</c> break their figures down: <c>--by FILE.geojson [--name-field F]</c> or <c>--by-country</c>, and the threshold.</summary>
internal sealed class RegionOptions
{
    private readonly Option<string?> _by = new("--by") { Description = "GeoJSON FeatureCollection of region polygons (municipalities, districts…) to break the figures down by." };
    private readonly Option<string?> _nameField = new("--name-field") { Description = "Feature property naming each region (default: name, NAME or Name, else \"feature N\")." };
    private readonly Option<bool> _byCountry = new("--by-country") { Description = "Break the figures down by country (the embedded Natural Earth boundaries)." };
    private readonly Option<double> _threshold = new("--threshold") { Description = "A scored tile is urban when P ≥ this (0..1).", DefaultValueFactory = _ => UrbanStatistics.DefaultThreshold };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _by, _nameField, _byCountry, _threshold })
        {
            command.Options.Add(option);
        }
    }

    public double Threshold(ParseResult parseResult) => parseResult.GetValue(_threshold);

    /// <summary>The regions asked for, or null; <paramref name="lonLatBounds"/> limits the countries to those near the run.</summary>
    /// <exception cref="UrbanScoreException">Both --by and --by-country, --name-field without --by, or a bad file.</exception>
    public RegionSet? Regions(ParseResult parseResult, Func<BoundingBox> lonLatBounds)
    {
        var file = parseResult.GetValue(_by);
        var nameField = parseResult.GetValue(_nameField);
        var byCountry = parseResult.GetValue(_byCountry);
        if (file is not null && byCountry)
        {
            throw new UrbanScoreException("--by and --by-country both break the figures down; give one of them.");
        }

        if (nameField is not null && file is null)
        {
            throw new UrbanScoreException("--name-field names the regions of a --by file; add --by FILE.geojson or drop --name-field.");
        }

        return file is not null ? RegionSet.FromGeoJson(file, nameField)
            : byCountry ? RegionSet.Countries(lonLatBounds())
            : null;
    }
}
