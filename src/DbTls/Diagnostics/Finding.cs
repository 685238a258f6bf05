namespace DbTls.Diagnostics;

/// <summary>One thing dbtls wants a person to know: a stable code, how bad it is, what happened and what to do.</summary>
public sealed record Finding(string Code, Severity Severity, string Message, string Remedy);
