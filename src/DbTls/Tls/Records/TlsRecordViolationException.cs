namespace DbTls.Tls.Records;

/// <summary>
/// The server broke the TLS record layer in a way the client's TLS library refuses. An <see cref="IOException"/>
/// so that it travels through SslStream's handshake like any other transport failure.
/// </summary>
internal sealed class TlsRecordViolationException(string message) : IOException(message);
