using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.SqlClient;

namespace DbTls.Dialects.Npgsql;

/// <summary>Npgsql's <c>SslMode</c> enum, in its declaration order (the numbers Enum.Parse also accepts).</summary>
internal enum NpgsqlSslMode
{
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCA,
    VerifyFull,
}

/// <summary>The settings of one Npgsql connection string, by canonical keyword, last one winning as in the builder.</summary>
internal sealed class NpgsqlSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Splits the string with the ADO.NET grammar Npgsql's DbConnectionStringBuilder uses, and refuses keys Npgsql does not know.</summary>
    public static NpgsqlSettings Parse(string connectionString)
    {
        List<SqlClientPair> pairs;
        try
        {
            pairs = SqlClientConnectionStringParser.Parse(connectionString);
        }
        catch (DbTlsException)
        {
            throw NpgsqlErrors.Invalid(
                "the connection string does not parse (ADO.NET rules: Keyword=Value pairs separated by ';', a value holding ';' or a quote is quoted with ' or \")",
                "Quote values that contain ';', e.g. Password='a;b'.");
        }

        var settings = new NpgsqlSettings();
        foreach (var pair in pairs)
        {
            var canonical = NpgsqlKeywords.Canonical(pair.Key)
                ?? throw NpgsqlErrors.Invalid($"Npgsql does not know the keyword '{pair.Key}' (it throws \"Couldn't set {pair.Key}\")",
                    "Use one of Npgsql's keywords, e.g. Host, Port, Database, Username, SSL Mode, Root Certificate.");

            // An empty value removes the keyword, as DbConnectionStringBuilder does.
            if (string.IsNullOrEmpty(pair.Value))
            {
                settings._values.Remove(canonical);
            }
            else
            {
                settings._values[canonical] = pair.Value;
            }
        }

        return settings;
    }

    public string? Get(string canonical) => _values.GetValueOrDefault(canonical);

    public bool Has(string canonical) => _values.ContainsKey(canonical);

    /// <summary>An enum value as Npgsql reads it: <c>Enum.Parse(type, value, ignoreCase: true)</c>, so names in any case or their numbers.</summary>
    public TEnum GetEnum<TEnum>(string canonical, TEnum fallback)
        where TEnum : struct, Enum
    {
        if (Get(canonical) is not { } value)
        {
            return fallback;
        }

        var text = value.Trim();
        foreach (var name in Enum.GetNames<TEnum>())
        {
            if (name.Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse<TEnum>(name);
            }
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && Enum.GetValues<TEnum>().FirstOrDefault(v => Convert.ToInt32(v, CultureInfo.InvariantCulture) == number) is var match
            && Convert.ToInt32(match, CultureInfo.InvariantCulture) == number)
        {
            return match;
        }

        throw NpgsqlErrors.Invalid(
            $"{canonical}={value} is not a value Npgsql accepts",
            $"Use one of: {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    /// <summary>A boolean as <c>Convert.ChangeType</c> reads it: <c>true</c> or <c>false</c> in any case, nothing else (no yes/no/1/0).</summary>
    public bool GetBool(string canonical, bool fallback)
    {
        if (Get(canonical) is not { } value)
        {
            return fallback;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw NpgsqlErrors.Invalid($"{canonical}={value} is not a boolean to Npgsql", $"Write {canonical}=true or {canonical}=false."),
        };
    }

    public int GetInt(string canonical, int fallback, int min, int max)
    {
        if (Get(canonical) is not { } value)
        {
            return fallback;
        }

        if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw NpgsqlErrors.Invalid($"{canonical}={value} is not a number from {min} to {max}", $"Give {canonical} as a whole number from {min} to {max}.");
        }

        return number;
    }
}

/// <summary>Npgsql's refusals, in dbtls' config.invalid finding.</summary>
internal static class NpgsqlErrors
{
    public static DbTlsException Invalid(string message, string remedy) => new(FindingCodes.ConfigInvalid, message, remedy);
}
