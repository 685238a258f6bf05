using DbTls.Diagnostics;

namespace DbTls.Dialects.Npgsql;

/// <summary>Remedies in Npgsql's connection-string keywords, for the codes whose catalogue remedy speaks libpq.</summary>
internal static class NpgsqlRemedies
{
    public static string? For(string code) => code switch
    {
        FindingCodes.CertUntrusted =>
            "Give the CA that issued the server certificate as Root Certificate=<file> with SSL Mode=VerifyFull, or make the server send its intermediate certificates.",
        FindingCodes.CertHostnameMismatch =>
            "Connect with Host=<a name the certificate lists in its subjectAltName>, or reissue the certificate with the name you connect to.",
        FindingCodes.CertNotVerified =>
            "Verify the server: SSL Mode=VerifyFull with Root Certificate=<the CA file> (Require never verifies in Npgsql 8 and later).",
        FindingCodes.TlsOpportunistic =>
            "Require TLS and verify the server: SSL Mode=VerifyFull with Root Certificate=<the CA file>.",
        FindingCodes.TlsNotUsed =>
            "Enable TLS on the server (ssl=on) and require it in the client: SSL Mode=VerifyFull.",
        FindingCodes.ClientCertMissing =>
            "Give the client certificate and key: SSL Certificate=<file> and SSL Key=<file> (SSL Password=<key password> when the key is encrypted).",
        _ => null,
    };
}
