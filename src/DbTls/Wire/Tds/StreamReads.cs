namespace DbTls.Wire.Tds;

internal static class StreamReads
{
    /// <summary>
    /// Fills <paramref name="buffer"/> unless the stream ends first; returns how many bytes were
    /// read, so the caller can tell a clean close (0) from a truncated structure.
    /// </summary>
    public static async ValueTask<int> ReadExactOrEofAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
