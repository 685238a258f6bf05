using System.Globalization;
using Microsoft.Data.SqlClient;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>
/// Child-process side of <see cref="SqlClientVerdicts"/>: one SqlClient connection per input line, each answered
/// by one output line, so a whole matrix costs one process start (SqlClient's trust store is fixed per process).
/// Output: <c>OK&lt;TAB&gt;encrypt_option</c> after the verification query ran, or <c>ERR&lt;TAB&gt;number&lt;TAB&gt;message</c>.
/// </summary>
public static class SqlClientBatch
{
    public const string Command = "sqlclient-batch";

    public static async Task<int> RunAsync(TextReader input, TextWriter output)
    {
        while (await input.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            await output.WriteLineAsync(await OneAsync(line));
            await output.FlushAsync();
        }

        return 0;
    }

    /// <summary><c>OK \t encrypt_option</c> or <c>ERR \t number \t message</c>.</summary>
    public static async Task<string> OneAsync(string connectionString)
    {
        try
        {
            await using var connection = new SqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new SqlCommand("SELECT encrypt_option FROM sys.dm_exec_connections WHERE session_id = @@SPID", connection);
            var encrypt = Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            return $"OK\t{encrypt}";
        }
        catch (SqlException e)
        {
            return $"ERR\t{e.Number}\t{Flatten(e.ToString())}";
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            return $"ERR\t-1\t{Flatten(e.ToString())}";
        }
    }

    private static string Flatten(string text) => text.ReplaceLineEndings(" | ").Replace('\t', ' ');
}
