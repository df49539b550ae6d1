using System.Net.Sockets;
using System.Text;

namespace ContentApi.Tests.Cluster;

/// <summary>
/// One HTTP/1.1 request written byte for byte on a TCP socket (what HttpClient would not send, such as an invalid Host),
/// read until the server closes the connection (the request asks it to).
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, Dictionary<string, string> Headers, string Body)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
    }

    public static async Task<Answer> SendAsync(int port, string method, string target, string host = "127.0.0.1")
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), cts.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, cts.Token);
        var text = Encoding.UTF8.GetString(received.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete response head: {text}");
        var lines = text[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        return new Answer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, text[(end + 4)..]);
    }
}
