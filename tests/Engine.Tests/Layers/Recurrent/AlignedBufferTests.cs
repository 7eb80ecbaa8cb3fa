using DlBook.Engine.Layers;

namespace DlBook.Engine.Tests.Layers.Recurrent;

/// <summary>The pinned, cache-line-aligned buffers the recurrent time loop reads its bias row, Wᵀ and token table from.</summary>
public unsafe class AlignedBufferTests
{
    [Fact]
    public void TheViewStartsOnA64ByteLineAndKeepsItsPlaceUntilItMustGrow()
    {
        var buffer = new AlignedBuffer();
        Assert.Equal(0, buffer.Length);
        foreach (int length in new[] { 1, 17, 1024, 65 * 1024 })
        {
            buffer.Resize(length);
            Assert.Equal(0, (long)buffer.Pointer % 64);
            Assert.Equal(length, buffer.Length);
            Assert.Equal(length, buffer.Span.Length);
        }
        buffer.Span.Fill(3f);
        float* before = buffer.Pointer;
        buffer.Resize(100);   // shorter: the same floats, contents kept
        Assert.True(before == buffer.Pointer);
        Assert.Equal(3f, buffer.Span[99]);
        buffer.Span[0] = 7f;
        Assert.Equal(7f, *buffer.Pointer);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.True(before == buffer.Pointer);   // pinned: a compacting collection does not move it
    }
}
