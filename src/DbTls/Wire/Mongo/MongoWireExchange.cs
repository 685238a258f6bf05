namespace DbTls.Wire.Mongo;

/// <summary>One command round trip as the report shows it: names and sizes only, never payloads (SASL payloads carry proofs).</summary>
internal sealed record MongoWireExchange(int RequestId, string Database, string CommandName, int BytesSent, int BytesReceived, bool Ok, TimeSpan Elapsed);
