using System.Net;

namespace DbTls.Scan;

/// <summary>Where a scan goes: the address it connects to and the name it sends as SNI (null for an IP literal).</summary>
public sealed record ScanTarget(string Host, int Port, IPEndPoint EndPoint)
{
    public string? ServerName => IPAddress.TryParse(Host.Trim('[', ']'), out _) ? null : Host;

    public string Display => EndPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && IPAddress.TryParse(Host.Trim('[', ']'), out _)
        ? $"[{Host.Trim('[', ']')}]:{Port}"
        : $"{Host}:{Port}";
}
