namespace UrbanScore.Wmts;

/// <summary>A capabilities document that cannot be read, or a selection it cannot satisfy; the message says what to do.</summary>
public sealed class WmtsCapabilitiesException : UrbanScoreException
{
    /// <summary>Creates the exception.</summary>
    public WmtsCapabilitiesException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public WmtsCapabilitiesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WmtsCapabilitiesException()
    {
    }
}
