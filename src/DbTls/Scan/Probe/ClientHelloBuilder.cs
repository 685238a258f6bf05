using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DbTls.Scan.Probe;

/// <summary>
/// Builds a ClientHello record byte by byte, so the probe decides every offer itself (versions, suites in a given
/// order, groups) instead of whatever a TLS library would send.
/// </summary>
public static class ClientHelloBuilder
{
    /// <summary>The whole record: header, handshake header, body.</summary>
    public static byte[] Build(ClientHelloSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var w = new LengthPrefixedWriter();
        // Record layer: SSLv3 probes use 3.0; everything else 3.1, which every TLS server accepts (RFC 8446 5.1).
        w.U8(TlsWire.Handshake);
        w.U16(spec.Version == TlsVersions.Ssl3 ? TlsVersions.Ssl3 : TlsVersions.Tls10);
        var record = w.Open(2);
        w.U8(TlsWire.ClientHello);
        var body = w.Open(3);
        var tls13 = spec.Version >= TlsVersions.Tls13;
        w.U16(tls13 ? TlsVersions.Tls12 : spec.Version);
        w.Bytes(RandomNumberGenerator.GetBytes(32));
        // A 32-byte legacy session id: TLS 1.3 middlebox compatibility mode, harmless below.
        w.U8(32);
        w.Bytes(RandomNumberGenerator.GetBytes(32));
        var suites = w.Open(2);
        foreach (var suite in spec.Suites)
        {
            w.U16(suite);
        }

        w.Close(suites);
        w.U8(1); // compression methods: null only
        w.U8(0);
        if (spec.Version != TlsVersions.Ssl3)
        {
            var extensions = w.Open(2);
            WriteExtensions(w, spec, tls13);
            w.Close(extensions);
        }

        w.Close(body);
        w.Close(record);
        return w.ToArray();
    }

    private static void WriteExtensions(LengthPrefixedWriter w, ClientHelloSpec spec, bool tls13)
    {
        if (spec.ServerName is { Length: > 0 } name)
        {
            w.U16(TlsWire.ExtServerName);
            var ext = w.Open(2);
            var list = w.Open(2);
            w.U8(0); // host_name
            var host = w.Open(2);
            w.Bytes(Encoding.ASCII.GetBytes(name));
            w.Close(host);
            w.Close(list);
            w.Close(ext);
        }

        w.U16(TlsWire.ExtSupportedGroups);
        var groupsExt = w.Open(2);
        var groups = w.Open(2);
        foreach (var group in spec.Groups)
        {
            w.U16(group);
        }

        w.Close(groups);
        w.Close(groupsExt);

        w.U16(TlsWire.ExtEcPointFormats);
        w.U16(2);
        w.U8(1);
        w.U8(0); // uncompressed

        if (spec.Version >= TlsVersions.Tls12)
        {
            w.U16(TlsWire.ExtSignatureAlgorithms);
            var sigExt = w.Open(2);
            var sigs = w.Open(2);
            foreach (var sig in spec.SignatureAlgorithms)
            {
                w.U16(sig);
            }

            w.Close(sigs);
            w.Close(sigExt);
        }

        if (spec.WantCertificate)
        {
            // session_ticket (RFC 5077), empty: a server that would issue a ticket answers it in its ServerHello.
            w.U16(TlsWire.ExtSessionTicket);
            w.U16(0);

            // status_request (RFC 6066 8): an OCSP staple, if the server has one, comes in CertificateStatus before ServerHelloDone.
            w.U16(TlsWire.ExtStatusRequest);
            w.U16(5);
            w.U8(1); // ocsp
            w.U16(0); // no responder ids
            w.U16(0); // no request extensions
        }

        if (spec.Alpn.Count > 0)
        {
            w.U16(TlsWire.ExtAlpn);
            var alpnExt = w.Open(2);
            var list = w.Open(2);
            foreach (var protocol in spec.Alpn)
            {
                var bytes = Encoding.ASCII.GetBytes(protocol);
                w.U8((byte)bytes.Length);
                w.Bytes(bytes);
            }

            w.Close(list);
            w.Close(alpnExt);
        }

        w.U16(TlsWire.ExtExtendedMasterSecret);
        w.U16(0);

        // renegotiation_info, empty: signals secure renegotiation (RFC 5746).
        w.U16(TlsWire.ExtRenegotiationInfo);
        w.U16(1);
        w.U8(0);

        if (tls13)
        {
            w.U16(TlsWire.ExtSupportedVersions);
            w.U16(3);
            w.U8(2);
            w.U16(TlsVersions.Tls13);

            w.U16(TlsWire.ExtKeyShare);
            var shareExt = w.Open(2);
            var shares = w.Open(2);
            foreach (var id in spec.KeyShareGroups)
            {
                if (NamedGroup.Of(id).KeyShare() is { } key)
                {
                    w.U16(id);
                    w.U16((ushort)key.Length);
                    w.Bytes(key);
                }
            }

            w.Close(shares);
            w.Close(shareExt);
        }
    }

    /// <summary>A growable buffer with back-patched length prefixes of 1–3 bytes.</summary>
    private sealed class LengthPrefixedWriter
    {
        private byte[] _buffer = new byte[1024];
        private int _length;

        public void U8(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        public void U16(ushort value)
        {
            Ensure(2);
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), value);
            _length += 2;
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            Ensure(value.Length);
            value.CopyTo(_buffer.AsSpan(_length));
            _length += value.Length;
        }

        /// <summary>Reserves a length prefix of <paramref name="size"/> bytes; returns its position for <see cref="Close"/>.</summary>
        public (int Position, int Size) Open(int size)
        {
            Ensure(size);
            var position = _length;
            _length += size;
            return (position, size);
        }

        public void Close((int Position, int Size) prefix)
        {
            var value = _length - prefix.Position - prefix.Size;
            for (var i = prefix.Size - 1; i >= 0; i--)
            {
                _buffer[prefix.Position + i] = (byte)value;
                value >>= 8;
            }
        }

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private void Ensure(int more)
        {
            if (_length + more > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
            }
        }
    }
}
