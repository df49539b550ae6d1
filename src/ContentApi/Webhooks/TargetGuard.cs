using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ContentApi.Webhooks;

/// <summary>
/// Keeps webhooks away from the API's own network (SSRF): https only, and no loopback, link-local, private or other
/// special addresses, checked when a subscription is written and again on every connection (DNS may change).
/// </summary>
public sealed class TargetGuard(IOptions<WebhookOptions> options)
{
    public bool AllowPrivate => options.Value.AllowPrivateTargets;

    /// <summary>Null when the URL may be a target, else why not.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
            return "Use an absolute https URL without credentials.";
        if (uri.Scheme != "https" && !AllowPrivate)
            return "Use https.";
        if (AllowPrivate) return null;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return "The host name does not resolve.";
        }
        return addresses.Length == 0 ? "The host name does not resolve."
            : addresses.FirstOrDefault(IsPrivate) is { } bad ? $"The host resolves to {bad}, a loopback, link-local or private address." : null;
    }

    /// <summary>Opens connections for the webhook client, refusing private addresses at connect time.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = AllowPrivate ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"Refused: {host} resolves only to loopback, link-local or private addresses.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] >= 64 && b[1] < 128,          // carrier-grade NAT
            169 => b[1] == 254,                        // link-local, cloud metadata
            172 => b[1] >= 16 && b[1] < 32,
            192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99),
            198 => b[1] is 18 or 19,
            >= 224 => true,                            // multicast, reserved, broadcast
            _ => false,
        };
    }
}
