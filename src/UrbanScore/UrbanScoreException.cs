namespace UrbanScore;

/// <summary>
/// Bad input or configuration that the user can fix: the CLI prints <see cref="Exception.Message"/> as one sentence
/// and exits with code 2. Messages name the problem and the fix.
/// </summary>
public class UrbanScoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UrbanScoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public UrbanScoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public UrbanScoreException()
    {
    }

    /// <summary>Which input the message is about (the command line names its option for it), or <see cref="InputSubject.None"/>.</summary>
    public InputSubject Subject { get; init; }
}
