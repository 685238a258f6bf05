using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>The session start libpq reads after authentication, up to ReadyForQuery.</summary>
internal static class PostgresSessionStart
{
    /// <summary>After AuthenticationOk: ParameterStatus, BackendKeyData and notices until ReadyForQuery.</summary>
    public static async Task ReadUntilReadyAsync(PostgresConnection connection, PostgresLoginResult result, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await connection.ReadAsync(ReadPhase.Session, cancellationToken).ConfigureAwait(false);
            switch (message.Type)
            {
                case BackendMessageType.ParameterStatus:
                    {
                        var reader = message.Reader();
                        var name = reader.ReadCString();
                        var value = reader.ReadCString();
                        reader.ExpectEnd();
                        if (result.Parameters.Count < 256)
                        {
                            result.Parameters[name] = value;
                        }

                        break;
                    }

                case BackendMessageType.BackendKeyData:
                    {
                        var reader = message.Reader();
                        result.ProcessId = reader.ReadInt32();
                        // Protocol 3.0 keys are 4 bytes; 3.2 allows up to 256. Either way nothing else may follow.
                        var key = reader.ReadRest();
                        if (key.Length is < 4 or > 256)
                        {
                            throw reader.Violation($"cancel key of {key.Length} bytes");
                        }

                        break;
                    }

                case BackendMessageType.NoticeResponse:
                    _ = PostgresServerError.Parse(message);
                    break;
                case BackendMessageType.ErrorResponse:
                    throw new PostgresServerErrorException(PostgresServerError.Parse(message), beforeAuthenticationOk: false, "the server refused the session after authentication");
                case BackendMessageType.ReadyForQuery:
                    {
                        var reader = message.Reader();
                        var status = reader.ReadByte();
                        reader.ExpectEnd();
                        if (status is not ((byte)'I' or (byte)'T' or (byte)'E'))
                        {
                            throw reader.Violation($"unknown transaction status 0x{status:X2}");
                        }

                        return;
                    }

                default:
                    throw new DbTlsException(FindingCodes.ServerProtocolViolation,
                        $"unexpected message {BackendMessageType.Describe(message.Type)} from the server during startup");
            }
        }
    }
}
