using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.PostgresHostile;
using static DbTls.Tests.Servers.PostgresHostile.BackendWriter;

namespace DbTls.Tests.Wire.Postgres;

/// <summary>
/// libpq's order of attempts and fallbacks for allow/prefer and direct TLS, observed from the
/// server side: which connections were made and what was sent on each.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FallbackOrderTests : IClassFixture<LocalhostCertificateFixture>
{
    private readonly LocalhostCertificateFixture _certificates;

    public FallbackOrderTests(LocalhostCertificateFixture certificates) => _certificates = certificates;

    /// <summary>Login without a password, the pg_stat_ssl query, Terminate.</summary>
    private static async Task ServeTrustSessionAsync(HostileConnection c, string? sslRow, CancellationToken ct)
    {
        await c.WriteAsync(LoginCompleted("15.99 (hostile)"));
        var query = await c.ReadMessageAsync(ct);
        Assert.Equal((byte)'Q', query.Type);
        Assert.Contains("pg_stat_ssl", System.Text.Encoding.UTF8.GetString(query.Body), StringComparison.Ordinal);
        if (sslRow is null)
        {
            await c.WriteAsync(ErrorResponse("ERROR", "42501", "permission denied for view pg_stat_ssl"), ReadyForQuery());
        }
        else
        {
            await c.WriteAsync(SslViewRow("t", "TLSv1.3", sslRow, "256", null));
        }

        var terminate = await c.ReadMessageAsync(ct);
        Assert.Equal((byte)'X', terminate.Type);
        await c.DrainUntilClosedAsync(ct);
    }

    [Fact]
    public async Task Prefer_continues_in_plaintext_on_the_same_connection_after_N()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'N']);
            var startup = await c.ReadStartupAsync(ct);
            Assert.Equal("alice", startup["user"]);
            Assert.Equal("appdb", startup["database"]);
            Assert.Equal("UTF8", startup["client_encoding"]);
            await ServeTrustSessionAsync(c, sslRow: null, ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("prefer", server.Port));
        await Hostile.SettleAsync(server);

        Hostile.AssertOk(report);
        Assert.Single(server.Connections);
        Assert.Collection(report.Negotiation.Attempts,
            a => Assert.Equal(("sslrequest", "N", "fallback"), (a.Method, a.ServerAnswer, a.Outcome)),
            a => Assert.Equal(("none", "ok"), (a.Method, a.Outcome)));
        Assert.Equal("none", report.Negotiation.Method);
        Assert.False(report.Negotiation.Encrypted);
        Assert.Equal("trust", report.Login?.Mechanism);
        Assert.Equal("15.99 (hostile)", report.Server?.ServerVersion);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsNotUsed && f.Severity == "warning");
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsOpportunistic);
        var view = Assert.Single(report.Findings, f => f.Code == FindingCodes.ServerViewUnavailable);
        Assert.Equal("warning", view.Severity);
        Assert.Contains("permission denied", view.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefer_reconnects_without_tls_after_a_broken_handshake_and_sends_the_password_like_libpq()
    {
        byte[]? password = null;
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            if (c.Index == 0)
            {
                await c.ExpectSslRequestAsync(ct);
                await c.WriteAsync([(byte)'S']);
                c.Close();
                return;
            }

            await c.ReadStartupAsync(ct); // the retry starts with the StartupMessage, no SSLRequest
            await c.WriteAsync(AuthenticationCleartextPassword());
            password = (await c.ReadMessageAsync(ct)).Body;
            await ServeTrustSessionAsync(c, sslRow: null, ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("prefer", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        Hostile.AssertOk(report);
        Assert.Equal(2, server.Connections.Count);
        Assert.Equal(SslRequestBytes, server.Connections[0].Received.Take(8));
        Assert.Collection(report.Negotiation.Attempts,
            a => Assert.Equal(("sslrequest", "S", "fallback"), (a.Method, a.ServerAnswer, a.Outcome)),
            a => Assert.Equal(("none", "ok"), (a.Method, a.Outcome)));
        Assert.Equal([.. Hostile.PasswordBytes, 0], password);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsNotUsed && f.Message.Contains("fell back", StringComparison.Ordinal));
        Assert.NotNull(report.Tls); // the failed handshake stays in the report
        Hostile.AssertPasswordNotInReport(report);
    }

    [Fact]
    public async Task Require_does_not_fall_back_after_a_broken_handshake()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'S']);
            c.Close();
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        Hostile.AssertFailure(report, FindingCodes.ServerClosed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Single(server.Connections);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Prefer_retries_without_tls_when_the_server_rejects_the_tls_startup()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            if (c.Index == 0)
            {
                await c.ExpectSslRequestAsync(ct);
                await c.WriteAsync([(byte)'S']);
                await c.StartTlsAsync(_certificates.Leaf.Certificate, alpn: null, ct);
                await c.ReadStartupAsync(ct);
                await c.WriteAsync(ErrorResponse("FATAL", "28000", "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"alice\", database \"appdb\", SSL encryption"));
                await c.DrainUntilClosedAsync(ct);
                return;
            }

            await c.ReadStartupAsync(ct);
            await ServeTrustSessionAsync(c, sslRow: null, ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("prefer", server.Port));
        await Hostile.SettleAsync(server);

        Hostile.AssertOk(report);
        Assert.Equal(2, server.Connections.Count);
        Assert.Collection(report.Negotiation.Attempts,
            a =>
            {
                Assert.Equal(("sslrequest", "S", "fallback"), (a.Method, a.ServerAnswer, a.Outcome));
                Assert.Contains("pg_hba.conf rejects", a.Detail, StringComparison.Ordinal);
            },
            a => Assert.Equal(("none", "ok"), (a.Method, a.Outcome)));
        Assert.False(report.Negotiation.Encrypted);
    }

    [Fact]
    public async Task Allow_retries_with_tls_when_the_server_rejects_the_plaintext_startup()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            if (c.Index == 0)
            {
                await c.ReadStartupAsync(ct); // allow starts in plaintext, without SSLRequest
                await c.WriteAsync(ErrorResponse("FATAL", "28000", "no pg_hba.conf entry for host \"127.0.0.1\", user \"alice\", database \"appdb\", no encryption"));
                await c.DrainUntilClosedAsync(ct);
                return;
            }

            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'S']);
            await c.StartTlsAsync(_certificates.Leaf.Certificate, alpn: null, ct);
            await c.ReadStartupAsync(ct);
            await ServeTrustSessionAsync(c, sslRow: "TLS_AES_256_GCM_SHA384", ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("allow", server.Port));
        await Hostile.SettleAsync(server);

        Hostile.AssertOk(report);
        Assert.Collection(report.Negotiation.Attempts,
            a => Assert.Equal(("none", "fallback"), (a.Method, a.Outcome)),
            a => Assert.Equal(("sslrequest", "S", "ok"), (a.Method, a.ServerAnswer, a.Outcome)));
        Assert.Equal("sslrequest", report.Negotiation.Method);
        Assert.True(report.Negotiation.Encrypted);
        Assert.Equal(true, report.Server?.Ssl);
        Assert.Equal("TLS_AES_256_GCM_SHA384", report.Server?.Cipher);
        Assert.Equal(256, report.Server?.Bits);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.CertNotVerified);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.TlsNotUsed);
    }

    [Fact]
    public async Task Prefer_fails_when_the_plaintext_retry_is_rejected_too()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            if (c.Index == 0)
            {
                await c.ExpectSslRequestAsync(ct);
                await c.WriteAsync([(byte)'S']);
                await c.StartTlsAsync(_certificates.Leaf.Certificate, alpn: null, ct);
            }

            await c.ReadStartupAsync(ct);
            await c.WriteAsync(ErrorResponse("FATAL", "28000", "no pg_hba.conf entry for host \"127.0.0.1\", user \"alice\", database \"appdb\""));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("prefer", server.Port));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.AuthFailed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("no pg_hba.conf entry", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Connections.Count);
        Assert.Equal(["fallback", "failed"], report.Negotiation.Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Errors_after_authentication_do_not_trigger_a_retry()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'S']);
            await c.StartTlsAsync(_certificates.Leaf.Certificate, alpn: null, ct);
            await c.ReadStartupAsync(ct);
            await c.WriteAsync(AuthenticationOk(), ErrorResponse("FATAL", "3D000", "database \"appdb\" does not exist"));
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("prefer", server.Port));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerError, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("3D000", failure.Message, StringComparison.Ordinal);
        Assert.Single(server.Connections);
    }

    [Fact]
    public async Task Direct_tls_starts_on_the_first_byte_with_alpn_postgresql()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.StartTlsAsync(_certificates.Leaf.Certificate, alpn: "postgresql", ct);
            Assert.Equal("postgresql", c.Tls!.NegotiatedApplicationProtocol.ToString());
            await c.ReadStartupAsync(ct);
            await ServeTrustSessionAsync(c, sslRow: "TLS_AES_128_GCM_SHA256", ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, negotiation: PostgresNegotiation.Direct));
        await Hostile.SettleAsync(server);

        Hostile.AssertOk(report);
        var received = Assert.Single(server.Connections).Received;
        Assert.Equal(0x16, received[0]); // a TLS record, not an SSLRequest
        Assert.False(Hostile.Contains(received, SslRequestBytes));
        var attempt = Assert.Single(report.Negotiation.Attempts);
        Assert.Equal(("direct", null, "ok"), (attempt.Method, attempt.ServerAnswer, attempt.Outcome));
        Assert.Equal("postgresql", report.Tls?.Alpn);
        Assert.Contains("postgresql", report.Policy!.Alpn);
        Assert.Equal(true, report.Server?.Ssl);
    }

    [Fact]
    public async Task Verify_full_against_the_hostile_certificate_authority_logs_in()
    {
        var directory = Directory.CreateTempSubdirectory("dbtls-wire-");
        try
        {
            var rootFile = Infrastructure.CertFactory.WritePem(Path.Combine(directory.FullName, "root.crt"), _certificates.Root.CertificatePem);
            await using var server = HostilePostgresServer.Start(async (c, ct) =>
            {
                await c.ExpectSslRequestAsync(ct);
                await c.WriteAsync([(byte)'S']);
                await c.StartTlsAsync(_certificates.Leaf.Certificate, alpn: null, ct);
                await c.ReadStartupAsync(ct);
                await ServeTrustSessionAsync(c, sslRow: "TLS_AES_256_GCM_SHA384", ct);
            });

            var report = await Hostile.CheckAsync(PostgresTestSpecs.For("verify-full", server.Port, host: "localhost", rootCertificate: rootFile));
            await Hostile.SettleAsync(server);

            Hostile.AssertOk(report);
            Assert.DoesNotContain(report.Findings, f => f.Code is FindingCodes.CertNotVerified or FindingCodes.TlsNotUsed);
            Assert.Equal("chain-and-hostname", report.Policy?.Verification);
            Assert.Equal("sslmode=verify-full", report.Policy?.Summary);
            Assert.Equal("required", report.Policy?.Encryption);
            Assert.Equal($"file {rootFile}", report.Policy?.Trust);
            Assert.Equal("libpq", report.Policy?.HostNameRules);
            Assert.Equal("libpq", report.Target.Dialect);
            Assert.Equal(server.Port, report.Target.Port);
            Assert.Equal(("alice", "appdb"), (report.Target.User, report.Target.Database));
            Assert.Equal("localhost", report.Tls?.Sni);
            Assert.NotEmpty(report.Tls!.Certificates);
            Assert.NotNull(report.Tls.Protocol);
            Assert.Equal(("trust", true), (report.Login?.Mechanism, report.Login?.Succeeded));
            // The report survives its JSON contract.
            var json = ReportJson.Serialize(report);
            var back = ReportJson.Deserialize(json);
            Assert.Equal(report.Verdict, back?.Verdict);
            Assert.Equal(report.Server?.Cipher, back?.Server?.Cipher);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Direct_tls_against_a_server_that_predates_it_explains_why()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            // A PostgreSQL 15/16 postmaster reads the ClientHello as a startup packet with a bad length and hangs up.
            await c.ReadExactlyAsync(8, ct);
            c.Close();
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("require", server.Port, PostgresTestSpecs.Password, negotiation: PostgresNegotiation.Direct));
        await Hostile.SettleAsync(server);

        var failure = Hostile.AssertFailure(report, FindingCodes.ServerClosed, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Contains("PostgreSQL 17", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sslnegotiation=postgres", failure.Remedy, StringComparison.Ordinal);
        Hostile.AssertPasswordNeverSent(server, report);
    }

    [Fact]
    public async Task Allow_fails_when_the_tls_retry_is_refused()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            if (c.Index == 0)
            {
                await c.ReadStartupAsync(ct);
                await c.WriteAsync(ErrorResponse("FATAL", "28000", "no pg_hba.conf entry for host \"127.0.0.1\", user \"alice\", database \"appdb\", no encryption"));
                await c.DrainUntilClosedAsync(ct);
                return;
            }

            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'N']);
            await c.DrainUntilClosedAsync(ct);
        });

        var report = await Hostile.CheckAsync(PostgresTestSpecs.For("allow", server.Port, PostgresTestSpecs.Password));
        await Hostile.SettleAsync(server);

        // PostgreSQL 17+ libpq: plaintext already failed, so 'N' leaves no method to try.
        Hostile.AssertFailure(report, FindingCodes.ServerTlsUnsupported, Verdicts.Rejected, ExitCodes.Rejected);
        Assert.Equal(2, server.Connections.Count);
        Assert.Equal(SslRequestBytes, server.Connections[1].Received);
        Assert.Equal([("none", "fallback"), ("sslrequest", "failed")], report.Negotiation.Attempts.Select(a => (a.Method, a.Outcome)));
    }

    [Fact]
    public async Task Verify_full_checks_the_host_name_not_the_hostaddr()
    {
        var directory = Directory.CreateTempSubdirectory("dbtls-wire-");
        try
        {
            var rootFile = Infrastructure.CertFactory.WritePem(Path.Combine(directory.FullName, "root.crt"), _certificates.Root.CertificatePem);
            await using var server = HostilePostgresServer.Start(async (c, ct) =>
            {
                await c.ExpectSslRequestAsync(ct);
                await c.WriteAsync([(byte)'S']);
                await c.StartTlsAsync(_certificates.Leaf.Certificate, alpn: null, ct);
                await c.DrainUntilClosedAsync(ct);
            });

            // Connect to 127.0.0.1 (hostaddr) but verify "db.wrong.test" (host), as libpq does.
            var spec = PostgresTestSpecs.For("verify-full", server.Port, PostgresTestSpecs.Password, host: "db.wrong.test", hostAddress: "127.0.0.1", rootCertificate: rootFile);
            var report = await Hostile.CheckAsync(spec);
            await Hostile.SettleAsync(server);

            Hostile.AssertFailure(report, FindingCodes.CertHostnameMismatch, Verdicts.Rejected, ExitCodes.Rejected);
            Assert.Equal("db.wrong.test", report.Tls?.Sni);
            Assert.NotEmpty(report.Tls!.Certificates); // the chain stays in the report after a failed verification
            Assert.Equal("db.wrong.test", report.Target.Host);
            Assert.Equal("127.0.0.1", report.Target.HostAddress);
            Hostile.AssertPasswordNeverSent(server, report);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
