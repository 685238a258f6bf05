using Microsoft.Data.SqlClient;

namespace DbTls.Tests.Wire.Tds;

/// <summary>
/// The child-process side of <c>sqlclient-query</c> (see <see cref="Infrastructure.TestAssemblyEntryPoint"/>):
/// the real SqlClient with the process-wide trust store the parent chose.
/// </summary>
internal static class SqlClientQueryChild
{
    public const string Command = "sqlclient-query";

    /// <summary>Opens a SqlClient connection, runs the query and prints the first row tab-separated.</summary>
    public static async Task<int> RunAsync(string connectionString, string query)
    {
        try
        {
            await using var connection = new SqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new SqlCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                await Console.Error.WriteLineAsync("no row");
                return 1;
            }

            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }

            Console.WriteLine(string.Join('\t', values));
            return 0;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync(e.ToString());
            return 1;
        }
    }
}
