using DbTls.Diagnostics;
using DbTls.Tls.Verification;

namespace DbTls.Tls.OpenSsl;

/// <summary>The <c>X509_V_ERR_*</c> codes dbtls explains (x509_vfy.h, OpenSSL 3.0), and which step and finding each belongs to.</summary>
internal static class OpenSslErrors
{
    public const int Ok = 0;
    public const int UnableToGetIssuerCert = 2;
    public const int UnableToGetCrl = 3;
    public const int CrlSignatureFailure = 8;
    public const int CertNotYetValid = 9;
    public const int CertHasExpired = 10;
    public const int CrlNotYetValid = 11;
    public const int CrlHasExpired = 12;
    public const int DepthZeroSelfSignedCert = 18;
    public const int SelfSignedCertInChain = 19;
    public const int UnableToGetIssuerCertLocally = 20;
    public const int UnableToVerifyLeafSignature = 21;
    public const int CertRevoked = 23;
    public const int InvalidPurpose = 26;
    public const int UnableToGetCrlIssuer = 33;
    public const int KeyUsageNoCrlSign = 35;
    public const int UnhandledCriticalCrlExtension = 36;
    public const int DifferentCrlScope = 44;
    public const int CrlPathValidationError = 54;

    /// <summary>The validation step and finding code an OpenSSL error is reported under.</summary>
    public static (string Step, string Code) Classify(int error) => error switch
    {
        CertNotYetValid => (ValidationSteps.Validity, FindingCodes.CertNotYetValid),
        CertHasExpired => (ValidationSteps.Validity, FindingCodes.CertExpired),
        CertRevoked => (ValidationSteps.Revocation, FindingCodes.CertRevoked),
        UnableToGetCrl or CrlSignatureFailure or CrlNotYetValid or CrlHasExpired or UnableToGetCrlIssuer or KeyUsageNoCrlSign
            or UnhandledCriticalCrlExtension or DifferentCrlScope or CrlPathValidationError => (ValidationSteps.Revocation, FindingCodes.CertRevocationUnknown),
        InvalidPurpose => (ValidationSteps.Purpose, FindingCodes.CertWrongPurpose),
        _ => (ValidationSteps.Chain, FindingCodes.CertUntrusted),
    };
}
