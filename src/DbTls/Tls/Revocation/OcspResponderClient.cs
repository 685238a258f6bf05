using System.Net;
using System.Net.Http.Headers;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace DbTls.Tls.Revocation;

/// <summary>One responder's answer, or why there was none.</summary>
internal sealed record ResponderAnswer(Uri Url, OcspVerification? Verification, string? Failure)
{
    public bool IsConclusive => Verification?.Answer?.IsConclusive == true;
}

/// <summary>
/// Asks the OCSP responders of a certificate (HTTP POST of a DER OCSPRequest, RFC 6960 appendix A.1),
/// in parallel as the MongoDB specification suggests, with one timeout for all. The first valid
/// response that says good or revoked decides; anything else is reported so the caller can soft-fail.
/// </summary>
internal static class OcspResponderClient
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        // A responder that redirects is followed (as PyMongo's requests does), but never to another scheme.
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the caller's token carries the deadline
    };

    public static async Task<IReadOnlyList<ResponderAnswer>> QueryAsync(IReadOnlyList<Uri> urls, CertificateID id, BcCertificate subject, BcCertificate issuer,
        TimeSpan timeout, Func<DateTimeOffset> clock, CancellationToken cancellationToken)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(id);
        var request = generator.Generate().GetEncoded();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var pending = urls.Select(url => AskAsync(url, request, subject, issuer, timeout, clock, deadline.Token)).ToList();
        var answers = new List<ResponderAnswer>();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            var answer = await done.ConfigureAwait(false);
            answers.Add(answer);
            if (answer.IsConclusive)
            {
                await deadline.CancelAsync().ConfigureAwait(false); // the rest are no longer needed
                break;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return answers;
    }

    private static async Task<ResponderAnswer> AskAsync(Uri url, byte[] request, BcCertificate subject, BcCertificate issuer, TimeSpan timeout,
        Func<DateTimeOffset> clock, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(request);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
            using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            using var response = await Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new ResponderAnswer(url, null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return new ResponderAnswer(url, null, $"the response is larger than {OcspResponseVerifier.MaxResponseBytes} bytes");
            }

            return new ResponderAnswer(url, OcspResponseVerifier.Verify(body, subject, issuer, clock()), null);
        }
        catch (OperationCanceledException)
        {
            return new ResponderAnswer(url, null, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return new ResponderAnswer(url, null, ex.InnerException?.Message ?? ex.Message);
        }
        catch (IOException ex)
        {
            return new ResponderAnswer(url, null, ex.Message);
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > OcspResponseVerifier.MaxResponseBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
