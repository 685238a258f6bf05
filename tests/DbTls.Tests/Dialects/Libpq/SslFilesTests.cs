using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.Libpq;

/// <summary>~/.postgresql defaults, CRL files and directories, client certificates, unusable files.</summary>
public sealed class SslFilesTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void The_default_crl_file_is_used_when_it_exists()
    {
        _home.WriteRootCert();
        var crl = _home.Write(".postgresql/root.crl", TempHome.CrlPem);
        var spec = _home.Parse("host=h sslmode=verify-full");

        Assert.Equal(new[] { crl }, spec.Tls.Revocation.CrlFiles.ToArray());
        Assert.Empty(spec.Tls.Revocation.CrlDirectories);
        Assert.Equal(RevocationScope.FullChain, spec.Tls.Revocation.Scope);
        Assert.Contains($"sslcrl: {crl} (default file)", spec.Sources);
    }

    [Fact]
    public void The_default_crl_file_also_applies_to_an_explicit_root_file()
    {
        var root = _home.WriteRootCert("ca/root.pem");
        var crl = _home.Write(".postgresql/root.crl", TempHome.CrlPem);
        var spec = _home.Parse($"host=h sslmode=verify-full sslrootcert={root}");
        Assert.Equal(new[] { crl }, spec.Tls.Revocation.CrlFiles.ToArray());
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("prefer")]
    [InlineData("require")]
    public void A_missing_explicit_root_file_below_verify_ca_is_a_warning_because_libpq_verifies_nothing(string mode)
    {
        var spec = _home.Parse($"host=h sslmode={mode} sslrootcert=/nonexistent/ca.pem");
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Severity == Severity.Warning && f.Message.StartsWith("sslrootcert \"/nonexistent/ca.pem\" does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_default_root_file_is_not_worth_a_warning_of_its_own()
    {
        var spec = _home.Parse("host=h sslmode=prefer");
        Assert.DoesNotContain(spec.Findings, f => f.Message.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void No_default_crl_file_means_no_revocation_checking_and_no_note()
    {
        _home.WriteRootCert();
        var spec = _home.Parse("host=h sslmode=verify-full");
        Assert.False(spec.Tls.Revocation.Enabled);
        Assert.DoesNotContain(spec.Findings, f => f.Message.Contains("sslcrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Explicit_crl_settings_replace_the_default_file()
    {
        _home.WriteRootCert();
        _home.Write(".postgresql/root.crl", TempHome.CrlPem);
        var dir = Directory.CreateDirectory(Path.Combine(_home.Root, "crls")).FullName;
        var spec = _home.Parse($"host=h sslmode=verify-full sslcrldir={dir}");

        Assert.Empty(spec.Tls.Revocation.CrlFiles);
        Assert.Equal(new[] { dir }, spec.Tls.Revocation.CrlDirectories.ToArray());
        Assert.Empty(spec.Sources.Where(s => s.Contains("sslcrl", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_missing_sslcrl_file_silently_turns_revocation_off_in_libpq_and_dbtls_says_so()
    {
        _home.WriteRootCert();
        var dir = Directory.CreateDirectory(Path.Combine(_home.Root, "crls")).FullName;
        var spec = _home.Parse($"host=h sslmode=verify-full sslcrl=/nonexistent.crl sslcrldir={dir}");

        Assert.False(spec.Tls.Revocation.Enabled);
        var note = Assert.Single(spec.Findings, f => f.Message.Contains("/nonexistent.crl", StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, note.Severity);
    }

    [Fact]
    public void A_missing_crl_directory_keeps_crl_checking_on_and_warns()
    {
        _home.WriteRootCert();
        var spec = _home.Parse("host=h sslmode=verify-full sslcrldir=/nonexistent-crl-dir");

        Assert.Equal(new[] { "/nonexistent-crl-dir" }, spec.Tls.Revocation.CrlDirectories.ToArray());
        Assert.True(spec.Tls.Revocation.Enabled);
        Assert.Contains(spec.Findings, f => f.Severity == Severity.Warning && f.Message.Contains("/nonexistent-crl-dir", StringComparison.Ordinal));
    }

    [Fact]
    public void Crl_settings_without_a_root_file_have_no_effect()
    {
        var crl = _home.Write("x.crl", TempHome.CrlPem);
        var spec = _home.Parse($"host=h sslmode=require sslcrl={crl}");
        Assert.False(spec.Tls.Revocation.Enabled);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("only together with a root certificate", StringComparison.Ordinal));
    }

    [Fact]
    public void Crl_settings_with_system_roots_have_no_effect()
    {
        var crl = _home.Write("x.crl", TempHome.CrlPem);
        var spec = _home.Parse($"host=h sslrootcert=system sslcrl={crl}");
        Assert.False(spec.Tls.Revocation.Enabled);
        Assert.Contains(spec.Findings, f => f.Message.Contains("sslrootcert=system", StringComparison.Ordinal) && f.Message.Contains("CRL", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("require")]
    [InlineData("verify-full")]
    public void A_root_path_that_is_a_directory_fails_like_libpq(string mode)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_home.Root, "cadir")).FullName;
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h sslmode={mode} sslrootcert={dir}"));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Equal($"could not read root certificate file \"{dir}\": no certificate or crl found", ex.Message);
    }

    [Fact]
    public void A_root_file_without_pem_certificates_fails_like_libpq()
    {
        var root = _home.Write(".postgresql/root.crt", "not a certificate\n");
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h sslmode=require"));
        Assert.Equal($"could not read root certificate file \"{root}\": no certificate or crl found", ex.Message);
    }

    [Fact]
    public void Under_prefer_an_unusable_root_file_means_libpq_silently_connects_without_tls()
    {
        _home.Write(".postgresql/root.crt", "garbage");
        var spec = _home.Parse("host=h");

        Assert.Equal("prefer", spec.SslMode);
        Assert.Equal(EncryptionMode.Disabled, spec.Tls.Encryption);
        var finding = Assert.Single(spec.Findings, f => f.Code == FindingCodes.TlsNotUsed);
        Assert.Contains("could not read root certificate file", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_client_certificate_and_key_are_used_when_both_exist()
    {
        var cert = _home.Write(".postgresql/postgresql.crt", TempHome.RootPem);
        var key = _home.Write(".postgresql/postgresql.key", "key");
        var spec = _home.Parse("host=h sslmode=require sslpassword=keypass");

        Assert.Equal(cert, spec.Tls.ClientCertificate!.CertificatePath);
        Assert.Equal(key, spec.Tls.ClientCertificate.KeyPath);
        Assert.Equal("keypass", spec.Tls.ClientCertificate.KeyPassword!.Reveal());
        Assert.Contains($"sslcert: {cert} (default file)", spec.Sources);
        Assert.Contains($"sslkey: {key} (default file)", spec.Sources);
    }

    [Fact]
    public void No_default_client_certificate_means_none_is_offered()
    {
        var spec = _home.Parse("host=h sslmode=require");
        Assert.Null(spec.Tls.ClientCertificate);
        Assert.DoesNotContain(spec.Findings, f => f.Message.Contains("sslcert", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_explicit_client_certificate_is_noted_because_libpq_goes_on_without_one()
    {
        var spec = _home.Parse("host=h sslmode=require sslcert=/nonexistent.crt");
        Assert.Null(spec.Tls.ClientCertificate);
        Assert.Contains(spec.Findings, f => f.Severity == Severity.Warning && f.Message.Contains("/nonexistent.crt", StringComparison.Ordinal));
    }

    [Fact]
    public void Sslcertmode_disable_never_sends_the_certificate()
    {
        _home.Write(".postgresql/postgresql.crt", TempHome.RootPem);
        _home.Write(".postgresql/postgresql.key", "key");
        var spec = _home.Parse("host=h sslmode=require sslcertmode=disable");
        Assert.Null(spec.Tls.ClientCertificate);
        Assert.Equal(ClientCertificateMode.Disabled, spec.Tls.ClientCertificateMode);
    }

    [Fact]
    public void A_certificate_without_its_key_fails_under_require()
    {
        _home.Write(".postgresql/postgresql.crt", TempHome.RootPem);
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h sslmode=require"));
        Assert.Equal($"certificate present, but not private key file \"{Path.Combine(_home.DotPostgresql, "postgresql.key")}\"", ex.Message);
    }

    [Fact]
    public void A_certificate_without_its_key_under_prefer_ends_in_plaintext()
    {
        _home.Write(".postgresql/postgresql.crt", TempHome.RootPem);
        var spec = _home.Parse("host=h sslmode=prefer");
        Assert.Equal(EncryptionMode.Disabled, spec.Tls.Encryption);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.TlsNotUsed && f.Message.Contains("certificate present, but not private key file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_world_readable_key_is_refused()
    {
        var cert = _home.Write("c/client.crt", TempHome.RootPem);
        var key = _home.Write("c/client.key", "key", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h sslmode=verify-full sslrootcert=system sslcert={cert} sslkey={key}"));
        Assert.StartsWith($"private key file \"{key}\" has group or world access", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_path_that_is_a_directory_is_refused()
    {
        var cert = _home.Write("c/client.crt", TempHome.RootPem);
        var dir = Directory.CreateDirectory(Path.Combine(_home.Root, "keydir")).FullName;
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h sslmode=require sslcert={cert} sslkey={dir}"));
        Assert.Equal($"private key file \"{dir}\" is not a regular file", ex.Message);
    }
}
