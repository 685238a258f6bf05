using DbTls.Dialects;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Explain;

/// <summary>For SQL Server: what each PRELOGIN ENCRYPTION answer of the server leads to, read from the driver's answer table.</summary>
internal static class TdsAnswerExplainer
{
    /// <summary>The four defined answers in the order the explanation lists them, with their protocol names.</summary>
    internal static readonly (TdsPreloginEncryption Answer, string Name)[] Answers =
    [
        (TdsPreloginEncryption.Off, "ENCRYPT_OFF"),
        (TdsPreloginEncryption.On, "ENCRYPT_ON"),
        (TdsPreloginEncryption.Required, "ENCRYPT_REQ"),
        (TdsPreloginEncryption.NotSupported, "ENCRYPT_NOT_SUP"),
    ];

    public static IEnumerable<ExplainStatement> Explain(ConnectionDescription description, string driver)
    {
        var table = description.ServerAnswers!;
        if (description.Tls.Encryption == EncryptionMode.TlsFirst)
        {
            yield break;
        }

        if (description.PreloginEncryption is { } sent)
        {
            yield return new("prelogin", $"{driver} sends {Answers.First(a => a.Answer == sent).Name} in PRELOGIN");
        }

        foreach (var (answer, name) in Answers)
        {
            var rule = table.For(answer);
            var text = $"server answers {name}: {Action(rule)}";
            yield return new("server answer", rule.Note is null ? text : $"{text} ({rule.Note})");
        }
    }

    /// <summary>What one row does, in words; whether the certificate is checked is part of it.</summary>
    internal static string Action(TdsAnswerRule rule) => rule.Action switch
    {
        TdsAnswerAction.Plaintext => "no TLS; the login (password included) and all data in plaintext",
        TdsAnswerAction.LoginOnly => "TLS for the login only, then plaintext" + (rule.VerifiesCertificate ? " (certificate verified)" : ", any certificate accepted"),
        TdsAnswerAction.Encrypt => "TLS for everything" + (rule.VerifiesCertificate ? " (certificate verified)" : ", any certificate accepted"),
        _ => "the driver refuses to connect",
    };
}
