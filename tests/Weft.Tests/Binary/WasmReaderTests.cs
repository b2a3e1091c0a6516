using Weft.Binary;

namespace Weft.Tests.Binary;

public class WasmReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0u)]
    [InlineData(new byte[] { 0x7F }, 127u)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128u)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0u)]
    public void ReadsUnsigned32(byte[] bytes, uint expected)
    {
        var reader = new WasmReader(bytes);
        Assert.Equal(expected, reader.ReadU32());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    [InlineData(new byte[] { 0x80 }, "unexpected end")]
    public void RejectsBadUnsigned32(byte[] bytes, string reason)
    {
        var ex = Assert.Throws<MalformedModuleException>(() => new WasmReader(bytes).ReadU32());
        Assert.StartsWith(reason, ex.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0x7F }, -1L)]
    [InlineData(new byte[] { 0x3F }, 63L)]
    [InlineData(new byte[] { 0x40 }, -64L)]
    [InlineData(new byte[] { 0x80, 0x7F }, -128L)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    public void ReadsSigned32(byte[] bytes, long expected)
    {
        var reader = new WasmReader(bytes);
        Assert.Equal(expected, reader.ReadS32());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 })]
    public void RejectsSigned32WithBadHighBits(byte[] bytes)
    {
        var ex = Assert.Throws<MalformedModuleException>(() => new WasmReader(bytes).ReadS32());
        Assert.Equal("integer too large", ex.Reason);
    }

    [Fact]
    public void RoundTripsThroughWriter()
    {
        var writer = new WasmWriter();
        long[] values = [0, 1, -1, 63, 64, -64, -65, long.MaxValue, long.MinValue, 1234567890123];
        foreach (var v in values) writer.WriteS64(v);
        var reader = new WasmReader(writer.WrittenSpan);
        foreach (var v in values) Assert.Equal(v, reader.ReadS64());
        Assert.True(reader.AtEnd);
    }
}
