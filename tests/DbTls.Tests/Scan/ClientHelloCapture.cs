using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DbTls.Tests.Scan;

/// <summary>What a real client offers: its ClientHello's suites (in order), supported_groups and supported_versions.</summary>
internal sealed record ClientHello(List<ushort> Suites, List<ushort> Groups, List<ushort> Versions)
{
    public override string ToString() =>
        $"suites {string.Join(", ", Suites.Select(x => $"0x{x:X4}"))}; groups {string.Join(", ", Groups)}; versions {string.Join(", ", Versions.Select(x => $"0x{x:X4}"))}";
}

/// <summary>
/// Takes a real client's first flight on a listening socket: plain or after an SSLRequest answered 'S' (PostgreSQL),
/// or inside the PRELOGIN packets of TDS 7.x after a PRELOGIN answered ENCRYPT_ON. The ClientHello is read here,
/// independently of the scan's own code.
/// </summary>
internal static class ClientHelloCapture
{
    /// <summary>A client run in process against a socket that (optionally) answers an SSLRequest with 'S' and keeps the ClientHello.</summary>
    public static async Task<ClientHello> CaptureAsync(bool answerSslRequest, Func<int, Task> client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var run = Task.Run(async () => await Record.ExceptionAsync(() => client(port)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = accepted.GetStream();
        if (answerSslRequest)
        {
            await stream.ReadExactlyAsync(new byte[8], timeout.Token);
            await stream.WriteAsync("S"u8.ToArray(), timeout.Token);
        }

        var header = new byte[5];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var record = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3))];
        await stream.ReadExactlyAsync(record, timeout.Token);
        accepted.Close();
        await run.WaitAsync(timeout.Token);
        return Parse(record);
    }

    /// <summary>A TDS 7.x client: its PRELOGIN is answered with ENCRYPT_ON, and the ClientHello is read from the 0x12 packet that follows.</summary>
    public static async Task<ClientHello> CaptureTdsAsync(Func<int, Task> client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var run = Task.Run(async () => await Record.ExceptionAsync(() => client(port)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = accepted.GetStream();
        await ReadTdsPacketAsync(stream, timeout.Token);

        // VERSION (6 bytes at 11) and ENCRYPTION (1 byte at 17: ENCRYPT_ON), then the terminator.
        byte[] options = [0x00, 0x00, 0x0B, 0x00, 0x06, 0x01, 0x00, 0x11, 0x00, 0x01, 0xFF, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01];
        var answer = new byte[8 + options.Length];
        answer[0] = 0x04;
        answer[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(2), (ushort)answer.Length);
        answer[6] = 1;
        options.CopyTo(answer, 8);
        await stream.WriteAsync(answer, timeout.Token);

        var tls = await ReadTdsPacketAsync(stream, timeout.Token);
        accepted.Close();
        await run.WaitAsync(timeout.Token);
        var length = BinaryPrimitives.ReadUInt16BigEndian(tls.AsSpan(3));
        return Parse(tls.AsSpan(5, length).ToArray());
    }

    private static async Task<byte[]> ReadTdsPacketAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) - 8];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return payload;
    }

    /// <summary>The ClientHello's suites, supported_groups and supported_versions, read here independently of the scan's code.</summary>
    public static ClientHello Parse(byte[] handshake)
    {
        var body = handshake.AsSpan(4);
        var at = 2 + 32;
        at += 1 + body[at];
        var suitesLength = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        var suites = U16s(body.Slice(at + 2, suitesLength));
        at += 2 + suitesLength;
        at += 1 + body[at];
        var extensions = body.Slice(at + 2, BinaryPrimitives.ReadUInt16BigEndian(body[at..]));
        List<ushort> groups = [], versions = [];
        while (extensions.Length > 0)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            var data = extensions.Slice(4, BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]));
            if (type == 10)
            {
                groups = U16s(data[2..]);
            }
            else if (type == 43)
            {
                versions = U16s(data[1..]);
            }

            extensions = extensions[(4 + data.Length)..];
        }

        return new ClientHello(suites, groups, versions);
    }

    private static List<ushort> U16s(ReadOnlySpan<byte> bytes)
    {
        var values = new List<ushort>();
        for (var i = 0; i + 1 < bytes.Length; i += 2)
        {
            values.Add(BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]));
        }

        return values;
    }
}
