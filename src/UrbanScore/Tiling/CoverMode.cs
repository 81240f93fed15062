namespace UrbanScore.Tiling;

/// <summary>Which tiles of a matrix belong to the cover of a polygon.</summary>
public enum CoverMode
{
    /// <summary>Every tile whose interior meets the polygon's interior (the default: nothing of the area is missed).</summary>
    Intersect,

    /// <summary>Every tile whose centre lies inside the polygon (fewer tiles along the border).</summary>
    Center,
}
