namespace UrbanScore.Tools.DemoWorld;

/// <summary>What a pixel of the demo world shows; the renderer and the ground truth use the same classification.</summary>
public enum LandCover : byte
{
    /// <summary>Sea, lake or river.</summary>
    Water,

    /// <summary>Woodland.</summary>
    Forest,

    /// <summary>Fields, hedges and farm tracks.</summary>
    Farmland,

    /// <summary>Bare soil, rock or dry steppe.</summary>
    Bare,

    /// <summary>Urban fabric: buildings, streets, yards and gardens inside a built-up area.</summary>
    Urban,
}
