using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tls;
using DbTls.Transports;
using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Checks;

internal static partial class MongoCheck
{
    internal const string ImplicitMethod = "implicit";
    internal const string PlainMethod = "none";

    /// <summary>
    /// Tries the seeds in order, as server selection would find a usable server: each gets its own
    /// attempt, the first that connects, answers hello and logs in ends the search. Returns the failure
    /// that decides the verdict when none succeeds, else null.
    /// </summary>
    private static async Task<Finding?> TrySeedsAsync(CheckRun run, TimeSpan timeout, CancellationToken deadline, CancellationToken caller)
    {
        var spec = run.Spec;
        var perSeed = Positive(spec.ConnectTimeout) ?? DefaultConnectTimeout;
        foreach (var host in spec.Hosts)
        {
            var attempt = new AttemptReport { Method = spec.TlsSettings.Enabled ? ImplicitMethod : PlainMethod, Endpoint = host.ToString() };
            run.Report.Negotiation.Attempts.Add(attempt);
            var outcome = new HostOutcome(host, new Attempt(attempt), run.Progress);
            if (deadline.IsCancellationRequested)
            {
                outcome.Attempt.Conclude(AttemptOutcome.Failed, "not tried: the time limit had passed");
                continue;
            }

            using var seedLimit = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            seedLimit.CancelAfter(perSeed);
            Finding? failure = null;
            try
            {
                await ConnectSeedAsync(run, outcome, seedLimit.Token).ConfigureAwait(false);
            }
            catch (Exception) when (seedLimit.IsCancellationRequested && !caller.IsCancellationRequested)
            {
                failure = deadline.IsCancellationRequested
                    ? FindingCatalog.Create(FindingCodes.NetTimeout, $"the check did not complete within {FormatSeconds(timeout)} ({outcome.Stage})", MongoRemedy(FindingCodes.NetTimeout))
                    : FindingCatalog.Create(FindingCodes.NetTimeout, $"{host} did not complete connection, TLS, hello and login within connectTimeoutMS ({FormatSeconds(perSeed)}; {outcome.Stage})", MongoRemedy(FindingCodes.NetTimeout));
            }
            catch (TlsHandshakeException ex)
            {
                outcome.Tls ??= ex.Report;
                failure = Diagnose(ex, ex.Message);
            }
            catch (DbTlsException ex)
            {
                var explained = MongoConnector.ExplainClose(ex, outcome.Tls) ?? ex;
                failure = Diagnose(explained, explained.Message);
            }
            catch (IOException ex)
            {
                failure = Diagnose(new DbTlsException(FindingCodes.ServerClosed, $"the connection to {host} broke: {Scrub(ex.Message, spec)}"), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !caller.IsCancellationRequested)
            {
                failure = CheckConclusion.Unexpected(Scrub(ex.Message, spec));
            }

            if (failure is null)
            {
                outcome.Attempt.Conclude(AttemptOutcome.Ok, SuccessDetail(outcome));
                run.Used = outcome;
                return null;
            }

            outcome.Attempt.Conclude(AttemptOutcome.Failed, failure.Message);
            run.Failures.Add(new HostFailure(outcome, failure));
        }

        // Rejections (certificate, TLS, authentication, protocol) say more about the deployment than an
        // unreachable or silent seed, so one of them decides the verdict when there is one.
        var failures = run.Failures;
        return (failures.FirstOrDefault(f => FindingCatalog.ExitCodeFor(f.Finding.Code) == ExitCodes.Rejected) ?? failures[^1]).Finding;
    }

    /// <summary>TCP, TLS on the first byte when tls is on, hello, then the SCRAM login and the server's view.</summary>
    private static async Task ConnectSeedAsync(CheckRun run, HostOutcome outcome, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var host = outcome.Host;
        IReadOnlyList<System.Net.IPAddress>? addresses = null;
        if (run.Dns is { } dns && host.Kind == MongoHostKind.HostName)
        {
            outcome.Stage = "no answer from DNS for the seed's address";
            addresses = await dns.ResolveHostAsync(host.Host, cancellationToken).ConfigureAwait(false);
        }

        outcome.Stage = "no answer to the TCP connection";
        await using var connection = await MongoTransport.ConnectAsync(host, addresses, cancellationToken).ConfigureAwait(false);
        Stream stream = connection.Stream;
        if (spec.Tls.Encryption == EncryptionMode.TlsFirst)
        {
            outcome.Stage = "no answer during the TLS handshake";
            // MongoDB has no in-protocol upgrade: TLS starts on the first byte, so nothing of the
            // handshake or the login can leave before it.
            var session = await TlsClient.AuthenticateAsync(stream, spec.Tls, new TlsTarget(host.Host) { OpenProbeTransport = connection.ConnectAgainAsync }, cancellationToken).ConfigureAwait(false);
            outcome.Tls = session.Report;
            outcome.TlsFindings = session.Findings;
            stream = session.Stream;
        }

        await using var wire = new MongoWireConnection(stream);
        outcome.Stage = outcome.Tls is null ? "no answer to hello" : "the TLS handshake completed, then no answer to hello";
        var helloCommand = spec.LoadBalanced ? MongoHelloCommand.Hello : MongoHelloCommand.LegacyHello;
        var hello = await MongoClientSession.HelloAsync(wire, spec.AppName, run.Credential, helloCommand, cancellationToken).ConfigureAwait(false);
        outcome.Hello = hello.Reply;
        if (run.Credential is not { } credential)
        {
            return;
        }

        outcome.Mechanism = MongoAuthenticator.ChooseMechanism(credential, hello.Reply);
        outcome.LoginAttempted = true;
        outcome.Stage = "no answer during the login";
        outcome.Auth = await MongoAuthenticator.AuthenticateAsync(wire, credential, hello.Reply, hello.Speculative, cancellationToken).ConfigureAwait(false);
        await ReadServerViewAsync(wire, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>connectionStatus and buildInfo. A problem here costs the view, never the verdict.</summary>
    private static async Task ReadServerViewAsync(MongoWireConnection wire, HostOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            outcome.Status = await MongoCommands.ConnectionStatusAsync(wire, cancellationToken).ConfigureAwait(false);
            var buildInfo = await wire.RunCommandRawAsync("admin", new BsonDocument("buildInfo", 1), cancellationToken).ConfigureAwait(false);
            if (MongoWireConnection.IsOk(buildInfo) && buildInfo.TryGetValue("version", out var version) && version.IsString)
            {
                outcome.ServerVersion = Wire.Postgres.PostgresServerError.Clean(version.AsString, 100);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome.ViewProblem = "the server did not answer connectionStatus in time";
        }
        catch (DbTlsException ex) when (ex is not TlsHandshakeException)
        {
            outcome.ViewProblem = ex.Message;
        }
    }

    private static string SuccessDetail(HostOutcome outcome)
    {
        var hello = outcome.Hello!;
        var role = hello.IsWritablePrimary ? "writable primary" : hello.SetName is not null ? $"member of {hello.SetName}" : "not writable";
        var what = $"hello: {role}, wire versions {hello.MinWireVersion}-{hello.MaxWireVersion}";
        return outcome.Auth is null ? what : $"{what}; logged in";
    }
}
