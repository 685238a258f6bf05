using System.Buffers.Binary;

namespace DbTls.Scan.Probe;

/// <summary>
/// Reads the server's answer to a ClientHello from the bytes received so far. It never throws on the bytes: each
/// call either needs more bytes or ends with a typed <see cref="ProbeReply"/>. The caller calls again after every
/// read with all bytes so far; a first flight is small, so re-parsing from the start is cheaper than keeping state.
/// </summary>
public static class ServerFlightParser
{
    /// <summary>No first flight (ServerHello, a chain of a few certificates, key exchange) needs more than this.</summary>
    public const int MaxFlight = 256 * 1024;

    /// <summary>ECCurveType named_curve (RFC 8422 5.4), the only one current servers send.</summary>
    private const byte NamedCurveType = 3;

    /// <summary>
    /// True when <paramref name="received"/> holds a complete answer (or a fault); false when more bytes are needed.
    /// With <paramref name="wantCertificate"/>, a TLS ≤ 1.2 ServerHello is complete only with the flight up to ServerHelloDone.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> received, bool wantCertificate, out ProbeReply reply)
    {
        if (received.Length > MaxFlight)
        {
            reply = ProbeReply.Fault(ProbeReplyKind.Oversized, $"the server sent more than {MaxFlight} bytes without finishing its first flight");
            return true;
        }

        // Gather the handshake bytes of consecutive handshake records; stop at the first alert or other record.
        var handshake = new byte[received.Length];
        var handshakeLength = 0;
        var offset = 0;
        while (true)
        {
            if (received.Length - offset < 5)
            {
                return ParseHandshake(handshake.AsSpan(0, handshakeLength), wantCertificate, endOfRecords: false, out reply);
            }

            var type = received[offset];
            var major = received[offset + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(received[(offset + 3)..]);
            if (type is < TlsWire.ChangeCipherSpec or > TlsWire.ApplicationData || major != 3)
            {
                if (offset == 0 || ParseHandshake(handshake.AsSpan(0, handshakeLength), wantCertificate, endOfRecords: true, out reply) is false)
                {
                    reply = ProbeReply.Fault(ProbeReplyKind.Malformed,
                        offset == 0 ? $"the answer does not start with a TLS record (first bytes {Hex(received)})" : "a record that is not TLS followed the server's first records");
                }

                return true;
            }

            if (length > TlsWire.MaxRecordBody)
            {
                reply = ProbeReply.Fault(ProbeReplyKind.Oversized, $"the server announced a TLS record of {length} bytes (TLS allows at most {TlsWire.MaxRecordBody})");
                return true;
            }

            if (received.Length - offset - 5 < length)
            {
                // The record is incomplete: what is complete so far may already be the answer.
                return ParseHandshake(handshake.AsSpan(0, handshakeLength), wantCertificate, endOfRecords: false, out reply);
            }

            var body = received.Slice(offset + 5, length);
            offset += 5 + length;
            if (type == TlsWire.Alert)
            {
                if (handshakeLength > 0 && ParseHandshake(handshake.AsSpan(0, handshakeLength), false, endOfRecords: true, out reply))
                {
                    return true;
                }

                reply = body.Length >= 2
                    ? new ProbeReply { Kind = ProbeReplyKind.Alert, AlertLevel = body[0], AlertDescription = body[1] }
                    : ProbeReply.Fault(ProbeReplyKind.Malformed, $"an alert record of {body.Length} byte(s) (an alert has 2)");
                return true;
            }

            if (type != TlsWire.Handshake)
            {
                // ChangeCipherSpec or encrypted records follow a TLS 1.3 ServerHello: everything readable has been read.
                if (!ParseHandshake(handshake.AsSpan(0, handshakeLength), wantCertificate, endOfRecords: true, out reply))
                {
                    reply = ProbeReply.Fault(ProbeReplyKind.Malformed, $"a record of type {type} arrived before the ServerHello");
                }

                return true;
            }

            if (length == 0)
            {
                reply = ProbeReply.Fault(ProbeReplyKind.Malformed, "an empty handshake record (RFC 8446 5.1 forbids it)");
                return true;
            }

            body.CopyTo(handshake.AsSpan(handshakeLength));
            handshakeLength += body.Length;
        }
    }

    /// <summary>The reply once the connection has ended: whatever is complete, else Truncated.</summary>
    public static ProbeReply AtEnd(ReadOnlySpan<byte> received, bool wantCertificate)
    {
        if (TryParse(received, wantCertificate, out var reply))
        {
            return reply;
        }

        // A ServerHello without the rest of the flight still answers the question "accepted?".
        if (wantCertificate && TryParse(received, false, out var partial) && partial.Accepted)
        {
            return partial;
        }

        return received.Length == 0
            ? ProbeReply.Fault(ProbeReplyKind.Closed, "the server closed the connection without answering the ClientHello")
            : ProbeReply.Fault(ProbeReplyKind.Truncated, $"the server stopped after {received.Length} byte(s), in the middle of its answer");
    }

    private static bool ParseHandshake(ReadOnlySpan<byte> data, bool wantCertificate, bool endOfRecords, out ProbeReply reply)
    {
        reply = null!;
        if (data.Length < 4)
        {
            return false;
        }

        if (data[0] != TlsWire.ServerHello)
        {
            reply = ProbeReply.Fault(ProbeReplyKind.Malformed, $"the first handshake message has type {data[0]} (a ServerHello has 2)");
            return true;
        }

        var length = ReadU24(data[1..]);
        if (length > data.Length - 4)
        {
            if (length > MaxFlight)
            {
                reply = ProbeReply.Fault(ProbeReplyKind.Oversized, $"the server announced a ServerHello of {length} bytes");
                return true;
            }

            return false;
        }

        if (!TryParseServerHello(data.Slice(4, length), out var hello, out var fault))
        {
            reply = ProbeReply.Fault(ProbeReplyKind.Malformed, fault);
            return true;
        }

        // A version no client can offer (found by fuzzing: 0x0000) is a broken answer, not an acceptance of it.
        if (Array.IndexOf(TlsVersions.Scanned, hello.Version) < 0)
        {
            reply = ProbeReply.Fault(ProbeReplyKind.Malformed, $"the ServerHello names version {TlsVersions.Name(hello.Version)}, which is no SSL or TLS version");
            return true;
        }

        if (!wantCertificate || hello.Kind == ProbeReplyKind.HelloRetryRequest || hello.Version >= TlsVersions.Tls13)
        {
            reply = hello;
            return true;
        }

        // TLS ≤ 1.2: walk the rest of the flight for the Certificate, up to ServerHelloDone.
        var rest = data[(4 + length)..];
        var certificates = (IReadOnlyList<byte[]>)[];
        while (rest.Length >= 4)
        {
            var type = rest[0];
            var messageLength = ReadU24(rest[1..]);
            if (messageLength > MaxFlight)
            {
                reply = ProbeReply.Fault(ProbeReplyKind.Oversized, $"the server announced a handshake message of {messageLength} bytes");
                return true;
            }

            if (messageLength > rest.Length - 4)
            {
                break;
            }

            var message = rest.Slice(4, messageLength);
            if (type == TlsWire.Certificate)
            {
                if (!TryParseCertificates(message, out var parsed, out fault))
                {
                    reply = ProbeReply.Fault(ProbeReplyKind.Malformed, fault);
                    return true;
                }

                certificates = parsed;
            }
            else if (type == TlsWire.CertificateStatus && message.Length >= 4 && message[0] == 1)
            {
                // CertificateStatus: status_type ocsp (1), then the DER OCSPResponse with a 3-byte length.
                hello = hello with { OcspStapled = ReadU24(message[1..]) > 0 };
            }
            else if (type == TlsWire.ServerKeyExchange && message.Length >= 3 && message[0] == NamedCurveType && CipherSuite.Of(hello.Suite).Ecdhe)
            {
                // ECParameters of an ECDHE key exchange: curve_type named_curve (3), then the curve's group id.
                hello = hello with { Group = BinaryPrimitives.ReadUInt16BigEndian(message[1..]) };
            }

            rest = rest[(4 + messageLength)..];
            if (type == TlsWire.ServerHelloDone)
            {
                reply = hello with { Certificates = certificates };
                return true;
            }
        }

        if (endOfRecords)
        {
            reply = hello with { Certificates = certificates };
            return true;
        }

        return false;
    }

    private static bool TryParseServerHello(ReadOnlySpan<byte> body, out ProbeReply hello, out string fault)
    {
        hello = null!;
        fault = "the ServerHello is shorter than its fixed fields";
        // version(2) random(32) session_id_length(1)
        if (body.Length < 35)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        var retry = body.Slice(2, 32).SequenceEqual(TlsWire.HelloRetryRandom);
        var sessionIdLength = body[34];
        if (sessionIdLength > 32)
        {
            fault = $"the ServerHello's session id is {sessionIdLength} bytes (at most 32)";
            return false;
        }

        var at = 35 + sessionIdLength;
        if (body.Length < at + 3)
        {
            return false;
        }

        var suite = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        var compression = body[at + 2];
        at += 3;
        var result = new ProbeReply
        {
            Kind = retry ? ProbeReplyKind.HelloRetryRequest : ProbeReplyKind.ServerHello,
            Version = version,
            Suite = suite,
            Compression = compression,
            SessionId = sessionIdLength > 0,
        };
        if (body.Length == at)
        {
            hello = result;
            return true;
        }

        if (body.Length < at + 2)
        {
            fault = "the ServerHello ends inside its extensions length";
            return false;
        }

        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        var extensions = body[(at + 2)..];
        if (extensions.Length != extensionsLength)
        {
            fault = $"the ServerHello's extensions block says {extensionsLength} bytes but {extensions.Length} follow";
            return false;
        }

        while (extensions.Length > 0)
        {
            if (extensions.Length < 4)
            {
                fault = "a ServerHello extension header is cut short";
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            var length = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
            if (length > extensions.Length - 4)
            {
                fault = $"ServerHello extension {type} claims {length} bytes but only {extensions.Length - 4} remain";
                return false;
            }

            var data = extensions.Slice(4, length);
            extensions = extensions[(4 + length)..];
            switch (type)
            {
                case TlsWire.ExtSupportedVersions when data.Length == 2:
                    result = result with { Version = BinaryPrimitives.ReadUInt16BigEndian(data) };
                    break;
                case TlsWire.ExtKeyShare when data.Length >= 2:
                    result = result with { Group = BinaryPrimitives.ReadUInt16BigEndian(data) };
                    break;
                case TlsWire.ExtAlpn when TryReadAlpn(data, out var alpn):
                    result = result with { Alpn = alpn };
                    break;
                case TlsWire.ExtRenegotiationInfo:
                    result = result with { SecureRenegotiation = true };
                    break;
                case TlsWire.ExtExtendedMasterSecret:
                    result = result with { ExtendedMasterSecret = true };
                    break;
                case TlsWire.ExtSessionTicket:
                    result = result with { SessionTicket = true };
                    break;
                case TlsWire.ExtSupportedVersions or TlsWire.ExtKeyShare or TlsWire.ExtAlpn:
                    fault = $"ServerHello extension {type} has a malformed body of {data.Length} byte(s)";
                    return false;
            }
        }

        hello = result;
        return true;
    }

    private static bool TryReadAlpn(ReadOnlySpan<byte> data, out string? alpn)
    {
        alpn = null;
        // protocol_name_list(2) with exactly one name(1 + n)
        if (data.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(data) != data.Length - 2 || data[2] != data.Length - 3 || data[2] == 0)
        {
            return false;
        }

        var name = data[3..];
        foreach (var b in name)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }

        alpn = System.Text.Encoding.ASCII.GetString(name);
        return true;
    }

    private static bool TryParseCertificates(ReadOnlySpan<byte> message, out IReadOnlyList<byte[]> certificates, out string fault)
    {
        certificates = [];
        fault = "";
        if (message.Length < 3 || ReadU24(message) != message.Length - 3)
        {
            fault = "the Certificate message's list length does not match its size";
            return false;
        }

        var list = new List<byte[]>();
        var rest = message[3..];
        while (rest.Length > 0)
        {
            if (rest.Length < 3 || ReadU24(rest) > rest.Length - 3)
            {
                fault = "a certificate in the Certificate message is cut short";
                return false;
            }

            var length = ReadU24(rest);
            list.Add(rest.Slice(3, length).ToArray());
            rest = rest[(3 + length)..];
        }

        certificates = list;
        return true;
    }

    private static int ReadU24(ReadOnlySpan<byte> data) => (data[0] << 16) | (data[1] << 8) | data[2];

    private static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(data[..Math.Min(8, data.Length)]);
}
