using System.Collections.Immutable;
using System.Globalization;

namespace DbTls.Dialects.Mongo;

/// <summary>Client options given in code (PyMongo keyword arguments) laid over the URI's values, recording each override in the sources.</summary>
internal static class MongoClientOptionsMerge
{
    internal static Dictionary<string, bool> CodeOptionPresence(MongoClientOptions o) => new(StringComparer.Ordinal)
    {
        ["tlsinsecure"] = o.TlsInsecure is not null,
        ["tlsallowinvalidcertificates"] = o.TlsAllowInvalidCertificates is not null,
        ["tlsallowinvalidhostnames"] = o.TlsAllowInvalidHostnames is not null,
        ["tlsdisableocspendpointcheck"] = o.TlsDisableOCSPEndpointCheck is not null,
        ["tlsdisablecertificaterevocationcheck"] = o.TlsDisableCertificateRevocationCheck is not null,
    };

    internal static void ApplyCodeOptions(MongoClientOptions o, Dictionary<string, string> values, ImmutableArray<string>.Builder sources)
    {
        void Set(string key, string? value, bool secret = false)
        {
            if (value is null)
            {
                return;
            }

            sources.Add(values.ContainsKey(key)
                ? $"{key}: client options (overrides the URI)"
                : secret ? $"{key}: client options" : $"{key}={value}: client options");
            values[key] = value;
        }

        static string? B(bool? b) => b is null ? null : b.Value ? "true" : "false";
        static string? Ms(TimeSpan? t) => t?.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);

        // tlsInsecure in code replaces whatever the URI said about the options it implies.
        if (o.TlsInsecure is not null)
        {
            values.Remove("tlsallowinvalidcertificates");
            values.Remove("tlsallowinvalidhostnames");
            values.Remove("tlsdisableocspendpointcheck");
        }

        // PyMongo expands a URI tlsInsecure into the three options it implies before keyword arguments
        // apply, so a finer option in code overrides only itself and the other two keep tlsInsecure's value.
        if ((o.TlsAllowInvalidCertificates is not null || o.TlsAllowInvalidHostnames is not null || o.TlsDisableOCSPEndpointCheck is not null)
            && values.Remove("tlsinsecure", out var uriInsecure))
        {
            values["tlsallowinvalidcertificates"] = uriInsecure;
            values["tlsallowinvalidhostnames"] = uriInsecure;
            values["tlsdisableocspendpointcheck"] = uriInsecure;
            sources.Add($"tlsInsecure={uriInsecure} from the URI expanded into tlsAllowInvalidCertificates, tlsAllowInvalidHostnames and tlsDisableOCSPEndpointCheck before the client options apply");
        }

        Set("tls", B(o.Tls));
        if (o.Tls is not null)
        {
            values.Remove("ssl");
        }

        Set("tlscafile", o.TlsCAFile);
        Set("tlscertificatekeyfile", o.TlsCertificateKeyFile);
        Set("tlscertificatekeyfilepassword", o.TlsCertificateKeyFilePassword?.Reveal(), secret: true);
        Set("tlscrlfile", o.TlsCRLFile);
        Set("tlsallowinvalidcertificates", B(o.TlsAllowInvalidCertificates));
        Set("tlsallowinvalidhostnames", B(o.TlsAllowInvalidHostnames));
        Set("tlsinsecure", B(o.TlsInsecure));
        Set("tlsdisableocspendpointcheck", B(o.TlsDisableOCSPEndpointCheck));
        Set("tlsdisablecertificaterevocationcheck", B(o.TlsDisableCertificateRevocationCheck));
        Set("authsource", o.AuthSource);
        Set("authmechanism", o.AuthMechanism);
        Set("appname", o.AppName);
        Set("replicaset", o.ReplicaSet);
        Set("directconnection", B(o.DirectConnection));
        Set("loadbalanced", B(o.LoadBalanced));
        Set("connecttimeoutms", Ms(o.ConnectTimeout));
        Set("serverselectiontimeoutms", Ms(o.ServerSelectionTimeout));
        Set("srvservicename", o.SrvServiceName);
        Set("srvmaxhosts", o.SrvMaxHosts?.ToString(CultureInfo.InvariantCulture));
    }
}
