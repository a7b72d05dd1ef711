using System.Buffers;
using System.Buffers.Binary;

namespace DuckChat.Web.Files.Images;

/// <summary>
/// Reads a seekable stream forward through a buffer and knows the file offset of every byte, so that a format's
/// parser can name the byte ranges to keep. Reading past the end throws <see cref="EndOfStreamException"/>: for an
/// image that is a truncated file.
/// </summary>
internal sealed class ByteReader : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream stream;
    private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private long bufferOffset;
    private int count;
    private int index;

    public ByteReader(Stream stream)
    {
        this.stream = stream;
        stream.Position = 0;
        Length = stream.Length;
    }

    public long Length { get; }

    public long Position => bufferOffset + index;

    public long Remaining => Length - Position;

    public byte ReadByte()
    {
        if (index == count && !Fill())
        {
            throw new EndOfStreamException();
        }

        return buffer[index++];
    }

    public void Read(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = ReadByte();
        }
    }

    public bool Next(ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[expected.Length];
        Read(actual);
        return actual.SequenceEqual(expected);
    }

    // C# evaluates operands left to right, so the first byte read is the high one.
    public ushort ReadUInt16BigEndian() => (ushort)((ReadByte() << 8) | ReadByte());

    public uint ReadUInt32BigEndian() => ((uint)ReadUInt16BigEndian() << 16) | ReadUInt16BigEndian();

    public uint ReadUInt32LittleEndian() => BinaryPrimitives.ReverseEndianness(ReadUInt32BigEndian());

    public void Skip(long length)
    {
        if (length < 0 || length > Remaining)
        {
            throw new EndOfStreamException();
        }

        var target = Position + length;
        if (target <= bufferOffset + count)
        {
            index = (int)(target - bufferOffset);
            return;
        }

        stream.Position = target;
        bufferOffset = target;
        count = index = 0;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);

    private bool Fill()
    {
        bufferOffset += count;
        index = 0;
        count = stream.Read(buffer, 0, BufferSize);
        return count > 0;
    }
}
