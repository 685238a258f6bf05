namespace DbTls.Dialects.FreeTds;

/// <summary>freetds.conf <c>encryption</c>.</summary>
internal enum FreeTdsEncryption
{
    /// <summary>Not set: FreeTDS uses <c>request</c> for TDS 7.1 and later.</summary>
    Default,

    /// <summary><c>off</c>: PRELOGIN ENCRYPT_NOT_SUP ("claiming lack of support" so that servers do not encrypt anyway).</summary>
    Off,

    /// <summary><c>request</c>: PRELOGIN ENCRYPT_OFF.</summary>
    Request,

    /// <summary><c>require</c>: PRELOGIN ENCRYPT_ON; fails when the server answers NOT_SUP.</summary>
    Require,

    /// <summary><c>strict</c> (FreeTDS 1.5+): TDS 8.0, TLS first, <c>ca file = system</c> when unset.</summary>
    Strict,
}
