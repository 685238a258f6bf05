using DbTls.Diagnostics;

namespace DbTls.Tests.Dialects.Libpq;

public sealed class ServiceFileTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void A_service_fills_what_the_string_leaves_out_and_env_fills_the_rest()
    {
        var file = _home.Write(".pg_service.conf", "# comment\n[other]\nhost=wrong\n\n[svc]\n  host=svc-host  \nport=6000\nsslmode=require\n[next]\nuser=wrong\n");
        var spec = _home.Parse("service=svc port=7000", ("PGUSER", "envuser"), ("PGHOST", "envhost"));

        Assert.Equal("svc-host", spec.Host);
        Assert.Equal(7000, spec.Port);
        Assert.Equal("require", spec.SslMode);
        Assert.Equal("envuser", spec.User);
        Assert.Contains($"service \"svc\" from {file}: host=svc-host sslmode=require", spec.Sources);
    }

    [Fact]
    public void Pgservice_and_pgservicefile_pick_the_service()
    {
        var file = _home.Write("elsewhere.conf", "[svc]\nhost=from-file\n");
        var spec = _home.Parse("sslmode=disable", ("PGSERVICE", "svc"), ("PGSERVICEFILE", file));
        Assert.Equal("from-file", spec.Host);
        Assert.Contains("PGSERVICE=svc", spec.Sources);
    }

    [Fact]
    public void The_system_file_in_pgsysconfdir_is_read_when_the_user_file_lacks_the_service()
    {
        _home.Write(".pg_service.conf", "[other]\nhost=x\n");
        var sysConfDir = Directory.CreateDirectory(Path.Combine(_home.Root, "etc")).FullName;
        _home.Write("etc/pg_service.conf", "[svc]\nhost=system-host\n");
        var spec = _home.Parse("service=svc sslmode=disable", ("PGSYSCONFDIR", sysConfDir));
        Assert.Equal("system-host", spec.Host);
    }

    [Theory]
    [InlineData("[svc]\nhost\n", "syntax error in service file \"{0}\", line 2")]
    [InlineData("[svc]\nbogus=1\n", "syntax error in service file \"{0}\", line 2")]
    [InlineData("[svc]\nservice=other\n", "nested service specifications not supported in service file \"{0}\", line 2")]
    public void Broken_service_files_are_reported(string content, string message)
    {
        var file = _home.Write(".pg_service.conf", content);
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("service=svc"));
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, file), ex.Message);
    }

    [Fact]
    public void An_unknown_service_is_reported()
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("service=nope", ("PGSYSCONFDIR", _home.Root)));
        Assert.Equal("definition of service \"nope\" not found", ex.Message);
    }

    [Fact]
    public void A_missing_pgservicefile_is_reported()
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("service=svc", ("PGSERVICEFILE", "/nonexistent/svc.conf")));
        Assert.Equal("service file \"/nonexistent/svc.conf\" not found", ex.Message);
    }
}
