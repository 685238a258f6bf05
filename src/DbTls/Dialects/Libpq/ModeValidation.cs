using DbTls.Policy;

namespace DbTls.Dialects.Libpq;

/// <summary>The enumerated settings after libpq's checks, in the form the rest of dbtls uses.</summary>
internal sealed record ValidatedModes(
    string SslMode,
    PostgresNegotiation Negotiation,
    ChannelBindingMode ChannelBinding,
    ClientCertificateMode CertificateMode,
    string GssEncMode,
    TlsProtocolVersion? MinProtocol,
    TlsProtocolVersion? MaxProtocol,
    bool SendSni);

/// <summary>
/// The value checks of libpq's pqConnectOptions2, in libpq's order so that the first error
/// reported is the one libpq would report.
/// </summary>
internal static class ModeValidation
{
    private static readonly string[] SslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
    private static readonly string[] ChannelBindings = ["disable", "prefer", "require"];
    private static readonly string[] Negotiations = ["postgres", "direct"];
    private static readonly string[] CertModes = ["disable", "allow", "require"];
    private static readonly string[] GssEncModes = ["disable", "prefer", "require"];
    private static readonly string[] SessionAttrs = ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"];
    private static readonly string[] LoadBalance = ["disable", "random"];
    private static readonly string[] AuthMethods = ["password", "md5", "gss", "sspi", "scram-sha-256", "oauth", "none"];
    private static readonly string[] ProtocolVersions = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

    public static ValidatedModes Validate(ConninfoOptions options)
    {
        ValidateRequireAuth(options.Get(LibpqKeywords.RequireAuth));

        var channelBinding = OneOf(options, LibpqKeywords.ChannelBinding, ChannelBindings, "prefer") switch
        {
            "disable" => ChannelBindingMode.Disable,
            "require" => ChannelBindingMode.Require,
            _ => ChannelBindingMode.Prefer,
        };

        var sslMode = OneOf(options, LibpqKeywords.SslMode, SslModes, "prefer");

        var negotiation = OneOf(options, LibpqKeywords.SslNegotiation, Negotiations, "postgres");
        if (negotiation == "direct" && !(sslMode.StartsWith('r') || sslMode.StartsWith('v')))
        {
            // libpq refuses: direct TLS with a mode that may fall back would silently go plaintext against pre-17 servers.
            throw LibpqErrors.Invalid(
                $"weak sslmode \"{sslMode}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")",
                "Use sslmode=verify-full (or require/verify-ca) with sslnegotiation=direct, or drop sslnegotiation=direct.");
        }

        if (string.Equals(options.Get(LibpqKeywords.SslRootCert), "system", StringComparison.Ordinal) && sslMode != "verify-full")
        {
            throw LibpqErrors.Invalid(
                $"weak sslmode \"{sslMode}\" may not be used with sslrootcert=system (use \"verify-full\")",
                "Use sslmode=verify-full with sslrootcert=system (it is the default when sslmode is not given).");
        }

        var min = ProtocolVersion(options, LibpqKeywords.SslMinProtocolVersion);
        var max = ProtocolVersion(options, LibpqKeywords.SslMaxProtocolVersion);
        if (min is { } low && max is { } high && low > high)
        {
            throw LibpqErrors.Invalid(
                "invalid SSL protocol version range",
                $"ssl_min_protocol_version ({low.ToDisplay()}) is above ssl_max_protocol_version ({high.ToDisplay()}); lower the minimum or raise the maximum.");
        }

        var certificateMode = OneOf(options, LibpqKeywords.SslCertMode, CertModes, "allow") switch
        {
            "disable" => ClientCertificateMode.Disabled,
            "require" => ClientCertificateMode.Required,
            _ => ClientCertificateMode.Allowed,
        };

        var gssEncMode = OneOf(options, LibpqKeywords.GssEncMode, GssEncModes, "prefer");
        OneOf(options, LibpqKeywords.TargetSessionAttrs, SessionAttrs, "any");
        OneOf(options, LibpqKeywords.LoadBalanceHosts, LoadBalance, "disable");

        // libpq sends SNI only when sslsni starts with '1' (and never for IP literals).
        var sendSni = options.Get(LibpqKeywords.SslSni)?.StartsWith('1') ?? true;

        return new ValidatedModes(
            sslMode,
            negotiation == "direct" ? PostgresNegotiation.Direct : PostgresNegotiation.Postgres,
            channelBinding,
            certificateMode,
            gssEncMode,
            min,
            max,
            sendSni);
    }

    /// <summary>The value when it is one of the allowed ones (exact, case-sensitive as in libpq), the default when unset.</summary>
    private static string OneOf(ConninfoOptions options, string keyword, string[] allowed, string defaultValue)
    {
        var value = options.Get(keyword);
        if (value is null)
        {
            return defaultValue;
        }

        return allowed.Contains(value, StringComparer.Ordinal) ? value : throw LibpqErrors.InvalidValue(keyword, value, allowed);
    }

    /// <summary>libpq's sslVerifyProtocolVersion: unset or empty means no bound; names compare case-insensitively.</summary>
    private static TlsProtocolVersion? ProtocolVersion(ConninfoOptions options, string keyword)
    {
        var value = options.Get(keyword);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.ToUpperInvariant() switch
        {
            "TLSV1" => TlsProtocolVersion.Tls10,
            "TLSV1.1" => TlsProtocolVersion.Tls11,
            "TLSV1.2" => TlsProtocolVersion.Tls12,
            "TLSV1.3" => TlsProtocolVersion.Tls13,
            _ => throw LibpqErrors.InvalidValue(keyword, value, ProtocolVersions),
        };
    }

    /// <summary>libpq's require_auth list: methods, all or none of them negated with '!', each at most once.</summary>
    private static void ValidateRequireAuth(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var negated = false;
        var parts = value.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var method = parts[i];
            if (method.StartsWith('!'))
            {
                if (i > 0 && !negated)
                {
                    throw LibpqErrors.Invalid($"negative require_auth method \"{method}\" cannot be mixed with non-negative methods");
                }

                negated = true;
                method = method[1..];
            }
            else if (negated)
            {
                throw LibpqErrors.Invalid($"require_auth method \"{method}\" cannot be mixed with negative methods");
            }

            if (!AuthMethods.Contains(method, StringComparer.Ordinal))
            {
                throw LibpqErrors.InvalidValue(LibpqKeywords.RequireAuth, method, AuthMethods);
            }

            if (!seen.Add(method))
            {
                throw LibpqErrors.Invalid($"require_auth method \"{parts[i]}\" is specified more than once");
            }
        }
    }
}
