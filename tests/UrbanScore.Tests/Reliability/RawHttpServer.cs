using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UrbanScore.Tests.Reliability;

/// <summary>
/// A raw TCP "HTTP server" on 127.0.0.1 for faults Kestrel will not produce: each accepted connection is handed to a
/// callback with its zero-based index, after the request head has been read. Stops by itself after
/// <c>lifetime</c>; bounded to <c>maxConnections</c>.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;
    private int _connections;

    private RawHttpServer(TcpListener listener, Func<int, Socket, Task> onConnection, int maxConnections, TimeSpan lifetime)
    {
        _listener = listener;
        _stop = new CancellationTokenSource(lifetime);
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && _connections < maxConnections)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    return;
                }

                var index = _connections++;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await ReadHeadAsync(socket, _stop.Token);
                        await onConnection(index, socket);
                    }
                    catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        // The client went away; nothing to do.
                    }
                    finally
                    {
                        socket.Dispose();
                    }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static RawHttpServer Start(Func<int, Socket, Task> onConnection, int port = 0, int maxConnections = 1000, TimeSpan? lifetime = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new RawHttpServer(listener, onConnection, maxConnections, lifetime ?? TimeSpan.FromMinutes(2));
    }

    /// <summary>Sends a complete 200 response with the body.</summary>
    public static async Task SendOkAsync(Socket socket, byte[] body, string contentType = "image/png")
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await socket.SendAsync(head);
        await socket.SendAsync(body);
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Sends the head and half the body, then resets the connection (RST, not FIN).</summary>
    public static async Task SendHalfThenResetAsync(Socket socket, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {body.Length}\r\n\r\n");
        await socket.SendAsync(head);
        await socket.SendAsync(body.AsMemory(0, body.Length / 2));
        socket.LingerState = new LingerOption(enable: true, seconds: 0);
        socket.Close();
    }

    private static async Task ReadHeadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                return;
            }

            total += read;
            if (buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8) >= 0)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
