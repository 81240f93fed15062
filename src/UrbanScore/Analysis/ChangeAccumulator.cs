namespace UrbanScore.Analysis;

/// <summary>Running sums of one region's change (m²; reported in km²).</summary>
internal sealed class ChangeAccumulator
{
    private long _tiles;
    private double _before;
    private double _after;
    private double _gained;
    private double _lost;

    /// <summary>Adds a tile scored in both runs (or its part inside the region) of <paramref name="squareMetres"/>.</summary>
    public void Add(bool urbanBefore, bool urbanAfter, double squareMetres)
    {
        _tiles++;
        _before += urbanBefore ? squareMetres : 0;
        _after += urbanAfter ? squareMetres : 0;
        _gained += urbanAfter && !urbanBefore ? squareMetres : 0;
        _lost += urbanBefore && !urbanAfter ? squareMetres : 0;
    }

    public RegionChange ToChange(string? name) => new(name, _tiles, _before / 1e6, _after / 1e6, _gained / 1e6, _lost / 1e6);
}
