namespace UrbanScore.Wmts;

/// <summary>How GetTile requests are encoded.</summary>
public enum WmtsEncoding
{
    /// <summary>RESTful when the layer has a tile ResourceURL, otherwise KVP (servers disagree on which to prefer; GeoServer adds ResourceURL while OperationsMetadata says KVP).</summary>
    Auto,

    /// <summary>Always the layer's tile ResourceURL template.</summary>
    Rest,

    /// <summary>Always KVP GetTile on the OperationsMetadata GetTile href.</summary>
    Kvp,
}
