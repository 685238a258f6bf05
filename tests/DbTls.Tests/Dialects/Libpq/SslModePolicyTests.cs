using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.Libpq;

/// <summary>sslmode and related settings to TlsPolicy, with and without a root certificate file.</summary>
public sealed class SslModePolicyTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("disable", EncryptionMode.Disabled, OpportunisticOrder.EncryptedFirst, false, VerificationLevel.None, FindingCodes.TlsNotUsed)]
    [InlineData("allow", EncryptionMode.Opportunistic, OpportunisticOrder.PlaintextFirst, false, VerificationLevel.None, FindingCodes.TlsOpportunistic)]
    [InlineData("prefer", EncryptionMode.Opportunistic, OpportunisticOrder.EncryptedFirst, true, VerificationLevel.None, FindingCodes.TlsOpportunistic)]
    [InlineData("require", EncryptionMode.Required, OpportunisticOrder.EncryptedFirst, false, VerificationLevel.None, FindingCodes.CertNotVerified)]
    public void Modes_without_a_root_file(string mode, EncryptionMode encryption, OpportunisticOrder order, bool fallBack, VerificationLevel verification, string finding)
    {
        var spec = _home.Parse($"host=h sslmode={mode}");

        Assert.Equal(mode, spec.SslMode);
        Assert.Equal(encryption, spec.Tls.Encryption);
        Assert.Equal(order, spec.Tls.OpportunisticOrder);
        Assert.Equal(fallBack, spec.Tls.FallBackOnHandshakeFailure);
        Assert.Equal(verification, spec.Tls.Verification);
        var found = Assert.Single(spec.Findings, f => f.Severity == Severity.Warning);
        Assert.Equal(finding, found.Code);
    }

    [Theory]
    [InlineData("allow", EncryptionMode.Opportunistic, VerificationLevel.Chain)]
    [InlineData("prefer", EncryptionMode.Opportunistic, VerificationLevel.Chain)]
    [InlineData("require", EncryptionMode.Required, VerificationLevel.Chain)]
    [InlineData("verify-ca", EncryptionMode.Required, VerificationLevel.Chain)]
    [InlineData("verify-full", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    public void A_default_root_file_makes_every_tls_mode_verify_the_chain(string mode, EncryptionMode encryption, VerificationLevel verification)
    {
        var root = _home.WriteRootCert();
        var spec = _home.Parse($"host=h sslmode={mode}");

        Assert.Equal(encryption, spec.Tls.Encryption);
        Assert.Equal(verification, spec.Tls.Verification);
        Assert.Equal(new TrustSource.PemFile(root), spec.Tls.Trust);
        Assert.Contains($"sslrootcert: {root} (default file)", spec.Sources);
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.CertNotVerified);
        var behavesLikeVerifyCa = spec.Findings.Any(f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("behaves like verify-ca", StringComparison.Ordinal));
        Assert.Equal(mode is "allow" or "prefer" or "require", behavesLikeVerifyCa);
    }

    [Fact]
    public void An_explicit_root_file_does_the_same_and_is_not_a_default_source()
    {
        var root = _home.WriteRootCert("elsewhere/ca.pem");
        var spec = _home.Parse($"host=h sslmode=require sslrootcert={root}");
        Assert.Equal(VerificationLevel.Chain, spec.Tls.Verification);
        Assert.Empty(spec.Sources);
        Assert.Contains(spec.Findings, f => f.Message.Contains($"sslrootcert={root}", StringComparison.Ordinal));
    }

    [Fact]
    public void Disable_ignores_the_root_file()
    {
        _home.WriteRootCert();
        var spec = _home.Parse("host=h sslmode=disable");
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.Empty(spec.Sources);
    }

    [Theory]
    [InlineData("verify-ca")]
    [InlineData("verify-full")]
    public void Verify_modes_without_the_root_file_name_the_path_looked_for(string mode)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h sslmode={mode}"));
        Assert.Equal(FindingCodes.CertRootFileMissing, ex.Code);
        Assert.Equal($"root certificate file \"{Path.Combine(_home.DotPostgresql, "root.crt")}\" does not exist", ex.Message);
        Assert.Equal("Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.", ex.Remedy);
        Assert.Equal(ExitCodes.InvalidInput, FindingCatalog.ExitCodeFor(ex.Code)); // a configuration error the user must fix, in every dialect
    }

    [Fact]
    public void An_explicit_missing_root_file_is_named()
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h sslmode=verify-full sslrootcert=/nonexistent/ca.pem"));
        Assert.Equal("root certificate file \"/nonexistent/ca.pem\" does not exist", ex.Message);
    }

    [Fact]
    public void Without_a_home_directory_verification_cannot_find_a_root_file()
    {
        var env = _home.Env() with { HomeDirectory = null };
        var ex = Assert.Throws<DbTlsException>(() => LibpqConnectionString.Parse("host=h sslmode=verify-ca", env));
        Assert.Equal(FindingCodes.CertRootFileMissing, ex.Code);
        Assert.Equal("could not get home directory to locate root certificate file", ex.Message);
    }

    [Fact]
    public void Sslrootcert_system_defaults_to_verify_full_with_the_system_store()
    {
        var spec = _home.Parse("host=h sslrootcert=system");
        Assert.Equal("verify-full", spec.SslMode);
        Assert.Equal(TrustSource.System, spec.Tls.Trust);
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal(EncryptionMode.Required, spec.Tls.Encryption);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("verify-full", StringComparison.Ordinal));
    }

    [Fact]
    public void Sslrootcert_system_from_the_environment_also_strengthens_the_default()
    {
        Assert.Equal("verify-full", _home.Parse("host=h", ("PGSSLROOTCERT", "system")).SslMode);
    }

    [Theory]
    [InlineData("sslmode=require", "require")]
    [InlineData("sslmode=verify-ca", "verify-ca")]
    [InlineData("sslmode=prefer", "prefer")]
    [InlineData("requiressl=1", "require")]
    public void Sslrootcert_system_rejects_weaker_modes(string setting, string mode)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h sslrootcert=system {setting}"));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Equal($"weak sslmode \"{mode}\" may not be used with sslrootcert=system (use \"verify-full\")", ex.Message);
    }

    [Fact]
    public void An_sslmode_from_the_environment_is_not_strengthened_by_system_roots()
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h sslrootcert=system", ("PGSSLMODE", "require")));
        Assert.Contains("weak sslmode \"require\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("require", EncryptionMode.TlsFirst)]
    [InlineData("verify-ca", EncryptionMode.TlsFirst)]
    [InlineData("verify-full", EncryptionMode.TlsFirst)]
    public void Direct_negotiation_starts_tls_first(string mode, EncryptionMode encryption)
    {
        _home.WriteRootCert();
        var spec = _home.Parse($"host=h sslmode={mode} sslnegotiation=direct");
        Assert.Equal(encryption, spec.Tls.Encryption);
        Assert.Equal(PostgresNegotiation.Direct, spec.Negotiation);
        Assert.Equal(new[] { "postgresql" }, spec.Tls.Alpn.ToArray());
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("allow")]
    [InlineData("prefer")]
    public void Direct_negotiation_rejects_modes_that_may_fall_back(string mode)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h sslmode={mode} sslnegotiation=direct"));
        Assert.Equal($"weak sslmode \"{mode}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")", ex.Message);
    }

    [Fact]
    public void Direct_negotiation_with_the_default_sslmode_is_rejected_too()
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h sslnegotiation=direct"));
        Assert.Contains("weak sslmode \"prefer\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Libpq_defaults_fill_the_rest_of_the_policy()
    {
        var spec = _home.Parse("host=h sslmode=require");
        Assert.Equal(HostNameRules.Libpq, spec.Tls.HostNameRules);
        Assert.Equal(new[] { "postgresql" }, spec.Tls.Alpn.ToArray());
        Assert.True(spec.Tls.SendSni);
        Assert.Equal(TlsProtocolVersion.Tls12, spec.Tls.MinProtocol);
        Assert.Null(spec.Tls.MaxProtocol);
        Assert.Equal(ClientCertificateMode.Allowed, spec.Tls.ClientCertificateMode);
        Assert.Null(spec.Tls.ClientCertificate);
        Assert.False(spec.Tls.Revocation.Enabled);
        Assert.Equal(PostgresNegotiation.Postgres, spec.Negotiation);
        Assert.Equal(ChannelBindingMode.Prefer, spec.ChannelBinding);
    }

    [Theory]
    [InlineData("sslsni=1", true)]
    [InlineData("sslsni=0", false)]
    [InlineData("sslsni=''", false)]
    [InlineData("sslsni=yes", false)]
    [InlineData("sslsni=10", true)]
    public void Sni_is_sent_only_when_sslsni_starts_with_1(string setting, bool sendSni)
    {
        Assert.Equal(sendSni, _home.Parse($"host=h sslmode=require {setting}").Tls.SendSni);
    }

    [Theory]
    [InlineData("ssl_min_protocol_version=TLSv1", TlsProtocolVersion.Tls10, null)]
    [InlineData("ssl_min_protocol_version=tlsv1.1 ssl_max_protocol_version=TLSV1.3", TlsProtocolVersion.Tls11, TlsProtocolVersion.Tls13)]
    [InlineData("ssl_min_protocol_version='' ssl_max_protocol_version=TLSv1.2", null, TlsProtocolVersion.Tls12)]
    [InlineData("ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.3", TlsProtocolVersion.Tls13, TlsProtocolVersion.Tls13)]
    [InlineData("ssl_max_protocol_version=''", TlsProtocolVersion.Tls12, null)]
    public void Protocol_version_bounds(string settings, TlsProtocolVersion? min, TlsProtocolVersion? max)
    {
        var spec = _home.Parse($"host=h sslmode=require {settings}");
        Assert.Equal(min, spec.Tls.MinProtocol);
        Assert.Equal(max, spec.Tls.MaxProtocol);
    }

    [Theory]
    [InlineData("ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2", "invalid SSL protocol version range")]
    [InlineData("ssl_max_protocol_version=TLSv1", "invalid SSL protocol version range")]
    [InlineData("ssl_min_protocol_version=TLSv1.4", "invalid ssl_min_protocol_version value: \"TLSv1.4\"")]
    [InlineData("ssl_max_protocol_version=SSLv3", "invalid ssl_max_protocol_version value: \"SSLv3\"")]
    public void Protocol_version_errors(string settings, string message)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h {settings}"));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("sslcertmode=disable", ClientCertificateMode.Disabled)]
    [InlineData("sslcertmode=allow", ClientCertificateMode.Allowed)]
    [InlineData("sslcertmode=require", ClientCertificateMode.Required)]
    public void Sslcertmode_maps_to_the_client_certificate_mode(string setting, ClientCertificateMode mode)
    {
        Assert.Equal(mode, _home.Parse($"host=h sslmode=require {setting}").Tls.ClientCertificateMode);
    }

    [Theory]
    [InlineData("channel_binding=disable", (int)ChannelBindingMode.Disable)]
    [InlineData("channel_binding=prefer", (int)ChannelBindingMode.Prefer)]
    [InlineData("channel_binding=require", (int)ChannelBindingMode.Require)]
    public void Channel_binding_modes(string setting, int modeValue)
    {
        var mode = (ChannelBindingMode)modeValue; // an int in the signature: the enum is internal and a public test method cannot take it
        Assert.Equal(mode, _home.Parse($"host=h sslmode=require {setting}").ChannelBinding);
    }

    [Fact]
    public void Verify_ca_notes_that_the_host_name_is_not_checked()
    {
        _home.WriteRootCert();
        var spec = _home.Parse("host=h sslmode=verify-ca");
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("not the host name", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_full_has_no_warnings()
    {
        _home.WriteRootCert();
        var spec = _home.Parse("host=h sslmode=verify-full");
        Assert.DoesNotContain(spec.Findings, f => f.Severity != Severity.Info);
    }
}
