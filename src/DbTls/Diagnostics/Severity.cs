namespace DbTls.Diagnostics;

public enum Severity
{
    Info,
    Warning,
    Error,
}
