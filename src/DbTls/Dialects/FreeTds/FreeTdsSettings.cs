using System.Collections.Frozen;
using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;

namespace DbTls.Dialects.FreeTds;

/// <summary>
/// The login settings FreeTDS accumulates while it reads freetds.conf files (its TDSLOGIN): every file it
/// opens on the way contributes its <c>[global]</c> section, the file that defines the server contributes
/// that section too. Each setting remembers where it came from.
/// </summary>
internal sealed class FreeTdsSettings
{
    // Options FreeTDS parses as booleans (yes/no/on/off/true/false); any other value invalidates the whole configuration.
    private static readonly FrozenSet<string> BooleanOptions = new[]
    {
        "swap broken dates", "enable gssapi delegation", "mutual authentication", "emulate little endian", "use utf-16",
        "dump file append", "use ntlmv2", "use lanman", "read-only intent", "check certificate hostname", "enable tls v1",
        "enable tls v1.1",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Options FreeTDS knows that do not matter for TLS; dbtls accepts and ignores them.
    /// <summary>The options that decide TLS: a misspelling of one silently leaves the connection less protected than written.</summary>
    private static readonly string[] TlsOptions =
        ["encryption", "ca file", "crl file", "certificate hostname", "check certificate hostname", "enable tls v1", "enable tls v1.1"];

    /// <summary>Every option name this reader applies or knowingly ignores, for "did you mean".</summary>
    private static readonly string[] OtherKnownOptions = ["tds version", "host", "port", "instance", "connect timeout", "database"];

    private static readonly FrozenSet<string> IgnoredOptions = new[]
    {
        "initial block size", "dump file", "debug flags", "timeout", "query timeout", "text size", "charset",
        "client charset", "language", "asa database", "realm", "spn", "database filename", "openssl ciphers", "gnutls ciphers",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ushort> TdsVersions = new Dictionary<string, ushort>(StringComparer.Ordinal)
    {
        ["0"] = 0x000,
        ["auto"] = 0x000,
        ["4.2"] = 0x402,
        ["50"] = 0x500,
        ["5.0"] = 0x500,
        ["70"] = 0x700,
        ["7.0"] = 0x700,
        ["7.1"] = 0x701,
        ["7.2"] = 0x702,
        ["7.3"] = 0x703,
        ["7.4"] = 0x704,
        ["8.0"] = 0x800,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);

    public string? Host { get; set; }

    public int Port { get; set; }

    public string? Instance { get; set; }

    /// <summary>The <c>tds version</c> string as given and its code (0 = auto).</summary>
    public (string Text, ushort Code)? TdsVersion { get; set; }

    public FreeTdsEncryption Encryption { get; set; } = FreeTdsEncryption.Default;

    public string? CaFile { get; set; }

    public string? CrlFile { get; set; }

    public bool CheckCertificateHostname { get; set; } = true;

    public string? CertificateHostname { get; set; }

    public bool EnableTlsV1 { get; set; }

    public bool EnableTlsV11 { get; set; }

    public int ConnectTimeout { get; set; }

    public string? Database { get; set; }

    /// <summary>Notes about options FreeTDS ignores (unknown names, unknown versions).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Options FreeTDS ignores that look like a misspelt known one (with "did you mean").</summary>
    public List<string> Misspelt { get; } = [];

    /// <summary>Where a setting came from, e.g. <c>[global] of /etc/freetds/freetds.conf line 3</c>.</summary>
    public string? OriginOf(string option) => _origins.GetValueOrDefault(option);

    public void SetOrigin(string option, string origin) => _origins[option] = origin;

    /// <summary>Applies one line as tds_parse_conf_section does. An invalid value throws: FreeTDS then refuses to connect (TDSECONF).</summary>
    public void Apply(FreeTdsConfigLine line, string where)
    {
        var option = line.Option;
        var value = line.Value;
        var origin = $"{where} line {line.LineNumber.ToString(CultureInfo.InvariantCulture)}";
        var taken = BooleanOptions.Contains(option)
            ? ApplyBoolean(option, ParseBoolean(value) ?? throw Invalid(origin, option, value, "yes, no, on, off, true or false"))
            : ApplyValue(option, value, origin);
        if (taken)
        {
            _origins[option] = origin;
        }
    }

    private bool ApplyBoolean(string option, bool parsed)
    {
        switch (option)
        {
            case "check certificate hostname":
                CheckCertificateHostname = parsed;
                break;
            case "enable tls v1":
                EnableTlsV1 = parsed;
                break;
            case "enable tls v1.1":
                EnableTlsV11 = parsed;
                break;
        }

        return true;
    }

    /// <summary>One valued option; false when FreeTDS ignores the line (the setting keeps its earlier origin).</summary>
    private bool ApplyValue(string option, string value, string origin)
    {
        switch (option)
        {
            case "tds version":
                if (TrySetTdsVersion(value))
                {
                    return true;
                }

                Notes.Add($"tds version = \"{value}\" ({origin}) is not a version FreeTDS knows; it ignores the line");
                return false;
            case "host":
                // FreeTDS resolves the name here and ignores the line when resolution fails; dbtls resolves when connecting.
                Host = value;
                return true;
            case "port" or "connect timeout" when LeadingInt(value) <= 0:
                // atoi gave no positive number: FreeTDS keeps the earlier value.
                return false;
            case "port":
                Port = LeadingInt(value);
                return true;
            case "instance":
                Instance = value;
                return true;
            case "encryption":
                Encryption = ParseEncryption(value) ?? throw Invalid(origin, option, value, "off, request, require or strict");
                return true;
            case "ca file":
                CaFile = value;
                return true;
            case "crl file":
                CrlFile = value;
                return true;
            case "certificate hostname":
                CertificateHostname = value;
                return true;
            case "connect timeout":
                ConnectTimeout = LeadingInt(value);
                return true;
            case "database":
                Database = value;
                return true;
            default:
                NoteUnknown(option, origin);
                return false;
        }
    }

    private static FreeTdsEncryption? ParseEncryption(string value) => value.ToLowerInvariant() switch
    {
        "off" => FreeTdsEncryption.Off,
        "request" => FreeTdsEncryption.Request,
        "require" => FreeTdsEncryption.Require,
        "strict" => FreeTdsEncryption.Strict,
        _ => null,
    };

    /// <summary>An option FreeTDS does not read: silently ignored when it is a known no-op, otherwise a note (with "did you mean").</summary>
    private void NoteUnknown(string option, string origin)
    {
        if (IgnoredOptions.Contains(option))
        {
            return;
        }

        var meant = KeySuggestion.For(option, [.. BooleanOptions, .. IgnoredOptions, .. TlsOptions, .. OtherKnownOptions], minLength: 4);
        if (meant is null)
        {
            Notes.Add($"unknown option \"{option}\" ({origin}) is ignored, as FreeTDS ignores it");
            return;
        }

        var tls = TlsOptions.Contains(meant, StringComparer.Ordinal)
            ? $" The TLS setting \"{meant}\" does not apply, so the connection is not protected as written."
            : "";
        Misspelt.Add($"unknown option \"{option}\" ({origin}) is ignored, as FreeTDS ignores it; did you mean \"{meant}\"?{tls}");
    }

    /// <summary>tds_config_verstr for TDSVER: an unknown version is ignored.</summary>
    public bool TrySetTdsVersion(string value)
    {
        if (!TdsVersions.TryGetValue(value, out var code))
        {
            return false;
        }

        TdsVersion = (value, code);
        return true;
    }

    public static bool? ParseBoolean(string value) => value.ToLowerInvariant() switch
    {
        "yes" or "on" or "true" => true,
        "no" or "off" or "false" => false,
        _ => null,
    };

    /// <summary>C atoi: optional white space and sign, then digits; 0 when there are none.</summary>
    public static int LeadingInt(string value)
    {
        var i = 0;
        while (i < value.Length && char.IsWhiteSpace(value[i]))
        {
            i++;
        }

        var negative = false;
        if (i < value.Length && value[i] is '+' or '-')
        {
            negative = value[i] == '-';
            i++;
        }

        long result = 0;
        for (; i < value.Length && value[i] is >= '0' and <= '9'; i++)
        {
            result = Math.Min(result * 10 + (value[i] - '0'), int.MaxValue);
        }

        return (int)(negative ? -result : result);
    }

    private static DbTlsException Invalid(string origin, string option, string value, string allowed) => TdsDialectRules.Invalid(
        $"freetds.conf {origin}: {option} = \"{value}\" is not valid (use {allowed}); FreeTDS refuses the whole configuration then (TDSECONF)");
}
