using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DbTls.Tests.Servers.Dns;

/// <summary>How <see cref="ScriptedDnsResponder"/> answers every query.</summary>
public enum DnsResponderMode
{
    /// <summary>Reads queries and never answers (a time-out for the client).</summary>
    Silent,

    /// <summary>Answers with the question echoed and response code 2 (SERVFAIL).</summary>
    ServerFailure,

    /// <summary>Answers with only 5 bytes: shorter than a DNS header.</summary>
    ShortHeader,

    /// <summary>A NOERROR header that claims one answer record, and no bytes for it.</summary>
    MissingAnswer,

    /// <summary>One SRV answer whose RDLENGTH claims 200 bytes where 8 follow.</summary>
    LyingRdLength,

    /// <summary>One SRV answer whose target name is a compression pointer to itself (a loop).</summary>
    PointerLoop,
}

/// <summary>
/// A UDP DNS server on 127.0.0.1 that answers the way dnsmasq never would: silence, SERVFAIL, and
/// malformed answers, so the resolver's error paths meet real bytes on a real socket.
/// </summary>
public sealed class ScriptedDnsResponder : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _queries;

    public ScriptedDnsResponder(DnsResponderMode mode)
    {
        Mode = mode;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(() => ServeAsync(_stop.Token));
    }

    public DnsResponderMode Mode { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>How many queries arrived.</summary>
    public int Queries => Volatile.Read(ref _queries);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }

            Interlocked.Increment(ref _queries);
            var reply = Answer(received.Buffer);
            if (reply is not null)
            {
                await _udp.SendAsync(reply, received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12)
        {
            return null;
        }

        // The question section ends after the name's zero label and QTYPE/QCLASS.
        var end = 12;
        while (end < query.Length && query[end] != 0)
        {
            end += query[end] + 1;
        }

        var question = query.AsSpan(0, Math.Min(query.Length, end + 5)).ToArray();
        switch (Mode)
        {
            case DnsResponderMode.Silent:
                return null;
            case DnsResponderMode.ShortHeader:
                return question[..5];
            case DnsResponderMode.ServerFailure:
                return Header(question, responseCode: 2, answers: 0, bodyAfterHeader: question.AsSpan(12));
            case DnsResponderMode.MissingAnswer:
                return Header(question, responseCode: 0, answers: 1, bodyAfterHeader: question.AsSpan(12));
            case DnsResponderMode.LyingRdLength:
                return Header(question, 0, 1, [.. question.AsSpan(12), .. SrvAnswerPrefix(rdLength: 200), 0, 0, 0, 0, 0x69, 0x89, 0xC0, 0x0C]);
            case DnsResponderMode.PointerLoop:
                {
                    // The target name sits at offset question.Length + 12 + 6 (after name pointer, type, class, ttl, rdlength, prio, weight, port).
                    var targetOffset = question.Length + 2 + 2 + 2 + 4 + 2 + 6;
                    byte[] rdata = [0, 0, 0, 0, 0x69, 0x89, (byte)(0xC0 | (targetOffset >> 8)), (byte)targetOffset];
                    return Header(question, 0, 1, [.. question.AsSpan(12), .. SrvAnswerPrefix(rdLength: rdata.Length), .. rdata]);
                }

            default:
                throw new InvalidOperationException(Mode.ToString());
        }
    }

    /// <summary>Name pointer to the question (offset 12), TYPE SRV, CLASS IN, TTL 60, and the given RDLENGTH.</summary>
    private static byte[] SrvAnswerPrefix(int rdLength)
    {
        var prefix = new byte[12];
        prefix[0] = 0xC0;
        prefix[1] = 0x0C;
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(2), 33);
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(6), 60);
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(10), (ushort)rdLength);
        return prefix;
    }

    private static byte[] Header(byte[] query, int responseCode, int answers, ReadOnlySpan<byte> bodyAfterHeader)
    {
        var reply = new byte[12 + bodyAfterHeader.Length];
        query.AsSpan(0, 2).CopyTo(reply); // ID
        reply[2] = (byte)(0x80 | (query[2] & 0x01)); // QR=1, RD copied
        reply[3] = (byte)(0x80 | responseCode); // RA=1
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1); // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)answers);
        bodyAfterHeader.CopyTo(reply.AsSpan(12));
        return reply;
    }
}
