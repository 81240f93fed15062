using UrbanScore.Pipeline;

namespace UrbanScore.Analysis;

/// <summary>Running sums of one region's statistics (areas in m²; reported in km²).</summary>
internal sealed class UrbanAccumulator
{
    private long _tiles;
    private long _scored;
    private long _urbanTiles;
    private double _urbanSquareMetres;
    private double _scoredSquareMetres;
    private double _expectedSquareMetres;

    /// <summary>Adds a tile (or the part of it inside the region) of <paramref name="squareMetres"/>.</summary>
    public void Add(TileStatus status, float score, double squareMetres, double threshold)
    {
        _tiles++;
        if (status != TileStatus.Scored || float.IsNaN(score))
        {
            return;
        }

        _scored++;
        _scoredSquareMetres += squareMetres;
        _expectedSquareMetres += score * squareMetres;
        if (score >= threshold)
        {
            _urbanTiles++;
            _urbanSquareMetres += squareMetres;
        }
    }

    public RegionStatistics ToStatistics(string? name) => new(
        Name: name,
        Tiles: _tiles,
        Scored: _scored,
        UrbanTiles: _urbanTiles,
        UrbanKm2: _urbanSquareMetres / 1e6,
        ExpectedUrbanKm2: _expectedSquareMetres / 1e6,
        MeanScore: _scored == 0 || _scoredSquareMetres <= 0 ? null : _expectedSquareMetres / _scoredSquareMetres);
}
