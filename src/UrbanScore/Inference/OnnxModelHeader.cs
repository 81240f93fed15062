using System.Text;

namespace UrbanScore.Inference;

/// <summary>
/// The top-level fields of an ONNX <c>ModelProto</c> read straight from the protobuf wire format, without ONNX
/// Runtime: IR version, producer, opset imports, metadata, and the class labels of every <c>ZipMap</c> node. Lets the
/// inspector recognise a file that is not ONNX or is truncated, and a 2018 opset-1 export that ONNX Runtime refuses,
/// before ONNX Runtime sees it. Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto,
/// AttributeProto, OperatorSetIdProto, StringStringEntryProto).
/// </summary>
internal sealed class OnnxModelHeader
{
    // protobuf wire types (protobuf.dev/programming-guides/encoding).
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLength = 2;
    private const int WireFixed32 = 5;

    private OnnxModelHeader()
    {
    }

    /// <summary>ModelProto.ir_version.</summary>
    public long IrVersion { get; private set; }

    /// <summary>ModelProto.producer_name.</summary>
    public string ProducerName { get; private set; } = string.Empty;

    /// <summary>ModelProto.producer_version.</summary>
    public string ProducerVersion { get; private set; } = string.Empty;

    /// <summary>Opset per domain ("" is the default ai.onnx domain).</summary>
    public Dictionary<string, long> Opsets { get; } = new(StringComparer.Ordinal);

    /// <summary>ModelProto.metadata_props in file order.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>For every ZipMap node with string class labels: its first output name → the labels in class order.</summary>
    public Dictionary<string, string[]> ZipMapLabels { get; } = new(StringComparer.Ordinal);

    /// <summary>The default-domain opset (ai.onnx), or 0 when the model imports none.</summary>
    public long DefaultOpset =>
        Opsets.TryGetValue(string.Empty, out var v) ? v : Opsets.TryGetValue("ai.onnx", out var w) ? w : 0;

    /// <summary>Parses <paramref name="bytes"/>; throws <see cref="FormatException"/> with <see cref="TruncatedMessage"/> or a structural reason.</summary>
    public static OnnxModelHeader Parse(ReadOnlySpan<byte> bytes)
    {
        var header = new OnnxModelHeader();
        var sawGraph = false;
        var reader = new Reader(bytes);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            switch (field, wire)
            {
                case (1, WireVarint):
                    header.IrVersion = (long)reader.Varint();
                    break;
                case (2, WireLength):
                    header.ProducerName = reader.String();
                    break;
                case (3, WireLength):
                    header.ProducerVersion = reader.String();
                    break;
                case (7, WireLength):
                    header.ReadGraph(reader.Bytes());
                    sawGraph = true;
                    break;
                case (8, WireLength):
                    header.ReadOpset(reader.Bytes());
                    break;
                case (14, WireLength):
                    header.ReadMetadata(reader.Bytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (!sawGraph || header.IrVersion <= 0)
        {
            throw new FormatException("no ONNX graph or IR version in the file");
        }

        return header;
    }

    /// <summary>The <see cref="FormatException"/> message used when a length runs past the end of the data.</summary>
    public const string TruncatedMessage = "data ends inside a field";

    private void ReadOpset(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        var domain = string.Empty;
        long version = 0;
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == WireLength)
            {
                domain = reader.String();
            }
            else if (field == 2 && wire == WireVarint)
            {
                version = (long)reader.Varint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        Opsets[domain] = version;
    }

    private void ReadMetadata(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        string key = string.Empty, value = string.Empty;
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == WireLength)
            {
                key = reader.String();
            }
            else if (field == 2 && wire == WireLength)
            {
                value = reader.String();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        Metadata[key] = value;
    }

    private void ReadGraph(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == WireLength)
            {
                ReadNode(reader.Bytes());
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void ReadNode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        string? firstOutput = null;
        string opType = string.Empty;
        List<string>? labels = null;
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            switch (field, wire)
            {
                case (2, WireLength):
                    var output = reader.String();
                    firstOutput ??= output;
                    break;
                case (4, WireLength):
                    opType = reader.String();
                    break;
                case (5, WireLength):
                    labels = ReadStringsAttribute(reader.Bytes(), "classlabels_strings") ?? labels;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (opType == "ZipMap" && firstOutput is not null && labels is { Count: > 0 })
        {
            ZipMapLabels[firstOutput] = [.. labels];
        }
    }

    private static List<string>? ReadStringsAttribute(ReadOnlySpan<byte> bytes, string wanted)
    {
        var reader = new Reader(bytes);
        string? name = null;
        var strings = new List<string>();
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == WireLength)
            {
                name = reader.String();
            }
            else if (field == 9 && wire == WireLength)
            {
                strings.Add(reader.String());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return name == wanted ? strings : null;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool End => _position >= _data.Length;

        public (int Field, int Wire) Tag()
        {
            var tag = Varint();
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            if (field <= 0 || wire is 3 or 4 or 6 or 7)
            {
                throw new FormatException("invalid protobuf tag");
            }

            return (field, wire);
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw new FormatException(TruncatedMessage);
                }

                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new FormatException("varint longer than 10 bytes");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = Varint();
            if (length > (ulong)(_data.Length - _position))
            {
                throw new FormatException(TruncatedMessage);
            }

            var slice = _data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public void Skip(int wire)
        {
            switch (wire)
            {
                case WireVarint:
                    Varint();
                    break;
                case WireFixed64:
                    Advance(8);
                    break;
                case WireLength:
                    Bytes();
                    break;
                case WireFixed32:
                    Advance(4);
                    break;
                default:
                    throw new FormatException("invalid protobuf wire type");
            }
        }

        private void Advance(int count)
        {
            if (_data.Length - _position < count)
            {
                throw new FormatException(TruncatedMessage);
            }

            _position += count;
        }
    }
}
