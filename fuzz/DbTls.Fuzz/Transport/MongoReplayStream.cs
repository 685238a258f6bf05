using System.Buffers.Binary;

namespace DbTls.Fuzz.Transport;

/// <summary>
/// Replays recorded MongoDB replies as answers to whatever the client asks: the input is cut into
/// messages by their length prefix and each one's responseTo is set to the requestId of the client's
/// latest message, as a live server would. Without that, every recorded reply would be refused at
/// the responseTo check and the fuzzer would never reach OP_MSG, BSON or SCRAM parsing. Where the
/// length prefix is implausible the rest of the input is served unchanged, so the framing code
/// still sees every lie.
/// </summary>
internal sealed class MongoReplayStream(byte[] input) : ServerBytesStream(input)
{
    private const int HeaderLength = 16;
    private readonly byte[] _input = input;
    private int _inputPosition;
    private byte[] _current = [];
    private int _currentPosition;
    private int _lastRequestId;

    protected override (byte[] Source, int Position) NextSource()
    {
        if (_currentPosition >= _current.Length && _inputPosition < _input.Length)
        {
            var remaining = _input.Length - _inputPosition;
            var length = remaining >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(_input.AsSpan(_inputPosition)) : -1;
            var take = length >= HeaderLength && length <= remaining ? length : remaining;
            _current = _input.AsSpan(_inputPosition, take).ToArray();
            if (take >= HeaderLength && take == length)
            {
                BinaryPrimitives.WriteInt32LittleEndian(_current.AsSpan(8), _lastRequestId);
            }

            _inputPosition += take;
            _currentPosition = 0;
        }

        return (_current, _currentPosition);
    }

    protected override void Advance(int count) => _currentPosition += count;

    protected override void OnClientWrite(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 8)
        {
            _lastRequestId = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        }
    }
}
