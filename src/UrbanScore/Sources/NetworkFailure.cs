using System.Net.Sockets;

namespace UrbanScore.Sources;

/// <summary>Names the cause of a failed connection in words a user can act on: refused, DNS, TLS, unreachable.</summary>
internal static class NetworkFailure
{
    /// <summary>The cause of a network failure in words: refused, DNS, TLS, unreachable; <paramref name="redact"/> cleans quoted messages.</summary>
    public static string Cause(Exception error, Func<string, string> redact)
    {
        if (error is HttpRequestException http)
        {
            var socket = http.InnerException as SocketException ?? http.InnerException?.InnerException as SocketException;
            return http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "the host name does not resolve (DNS)",
                HttpRequestError.SecureConnectionError => "TLS handshake failed: " + redact(http.InnerException?.Message ?? http.Message),
                _ when socket?.SocketErrorCode == SocketError.ConnectionRefused => "connection refused: nothing listens on that port",
                _ when socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve (DNS)",
                _ when socket?.SocketErrorCode is SocketError.NetworkUnreachable or SocketError.HostUnreachable => "the network or host is unreachable",
                _ => redact(http.Message),
            };
        }

        return "connection broken: " + redact(error.Message);
    }

}
