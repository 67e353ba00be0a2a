using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class FrameCodecTests
{
    [Theory]
    [InlineData((ushort)0x0000, (ushort)0x0000, 0u, new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData((ushort)0x0005, (ushort)0x8000, 42u, new byte[] { 0x00, 0x05, 0x80, 0x00, 0x00, 0x00, 0x00, 0x2A })]
    [InlineData((ushort)0x040D, (ushort)0x0000, 0x01020304u, new byte[] { 0x04, 0x0D, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04 })]
    [InlineData((ushort)0xFBFF, (ushort)0x0000, uint.MaxValue, new byte[] { 0xFB, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF })]
    public void FrameHeader_WriteThenRead_RoundTripsBigEndian(ushort type, ushort flags, uint length, byte[] expected)
    {
        var header = new FrameHeader((MessageType)type, flags, length);
        var bytes = new byte[FrameHeader.Size];
        header.Write(bytes);

        Assert.Equal(expected, bytes);
        Assert.Equal(header, FrameHeader.Read(bytes));
        Assert.Equal(flags == FrameHeader.RequestedAckFlag, FrameHeader.Read(bytes).RequestedAck);
    }

    [Fact]
    public void FrameHeader_RequestedAck_IsBit47OfTheHeader()
    {
        var bytes = new byte[FrameHeader.Size];
        new FrameHeader(MessageType.ProposeRunCompletion, FrameHeader.RequestedAckFlag, 0).Write(bytes);
        var word = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        Assert.Equal(0x0005_8000_0000_0000UL, word);
        Assert.Equal(0x0000_8000_0000_0000UL, word & 0x0000_8000_0000_0000UL);
    }

    [Fact]
    public void FrameDecoder_FedByteByByte_YieldsEveryFrame()
    {
        var frames = SampleFrames();
        var decoder = new FrameDecoder();
        var decoded = new List<Frame>();
        foreach (var b in frames.SelectMany(f => f))
        {
            decoder.Append([b]);
            while (decoder.TryRead(out var frame))
            {
                decoded.Add(frame);
            }
        }

        AssertSameFrames(frames, decoded);
        Assert.Equal(0, decoder.PendingBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(64)]
    [InlineData(4096)]
    public void FrameDecoder_FixedChunkSizes_YieldsEveryFrame(int chunkSize)
    {
        var frames = SampleFrames();
        var all = frames.SelectMany(f => f).ToArray();
        var decoder = new FrameDecoder();
        var decoded = new List<Frame>();
        for (var offset = 0; offset < all.Length; offset += chunkSize)
        {
            decoder.Append(all.AsSpan(offset, Math.Min(chunkSize, all.Length - offset)));
            while (decoder.TryRead(out var frame))
            {
                decoded.Add(frame);
            }
        }

        AssertSameFrames(frames, decoded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void FrameDecoder_RandomChunkSplits_YieldsEveryFrame(int seed)
    {
        var frames = SampleFrames();
        var all = frames.SelectMany(f => f).ToArray();
#pragma warning disable CA5394 // deterministic test data, not security
        var random = new Random(seed);
        var decoder = new FrameDecoder();
        var decoded = new List<Frame>();
        var offset = 0;
        while (offset < all.Length)
        {
            var size = Math.Min(random.Next(0, 40), all.Length - offset);
#pragma warning restore CA5394
            decoder.Append(all.AsSpan(offset, size));
            offset += size;
            while (decoder.TryRead(out var frame))
            {
                decoded.Add(frame);
            }
        }

        AssertSameFrames(frames, decoded);
    }

    [Fact]
    public void FrameDecoder_PartialHeader_WaitsAndKeepsBytes()
    {
        var decoder = new FrameDecoder();
        var end = Frames.Encode(MessageType.End, new EndMessage());
        decoder.Append(end.AsSpan(0, 5));
        Assert.False(decoder.TryRead(out _));
        Assert.Equal(5, decoder.PendingBytes);
        decoder.Append(end.AsSpan(5));
        Assert.True(decoder.TryRead(out var frame));
        Assert.Equal(MessageType.End, frame.Type);
        Assert.True(frame.Payload.IsEmpty);
    }

    [Fact]
    public void FrameDecoder_OversizedLength_Rejected()
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(MessageType.InputCommand, 0, FrameDecoder.MaxFrameLength + 1u).Write(header);
        var decoder = new FrameDecoder();
        decoder.Append(header);
        Assert.Throws<ProtocolException>(() => decoder.TryRead(out _));
    }

    [Fact]
    public void FrameDecoder_LengthAtLimit_WaitsForPayload()
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(MessageType.InputCommand, 0, FrameDecoder.MaxFrameLength).Write(header);
        var decoder = new FrameDecoder();
        decoder.Append(header);
        Assert.False(decoder.TryRead(out _));
    }

    [Fact]
    public void NotifyInput_OversizedFrame_Fails571()
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(MessageType.InputCommand, 0, uint.MaxValue).Write(header);
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1), header)
            .Run(Mode.Bidi, run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void NotifyInput_ByteByByte_SameBehaviourAsWholeFrames(Mode mode)
    {
        var input = new[]
        {
            Frames.Start(3, key: "k"),
            Frames.Input("\"hi\""),
            Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message),
            Frames.Notification(MessageType.SleepCompletionNotification, completionId: 1, isVoid: true),
        }.SelectMany(f => f).Select(b => new[] { b }).ToArray();

        StateMachineTestCase.Create()
            .WithInput(input)
            .Run(mode, run =>
            {
                Assert.True(run.StateMachine.IsReadyToExecute());
                Assert.Equal("k", run.Input().Key);
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.AwaitCompleted(sleep);
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Fact]
    public void TakeOutput_NothingBuffered_Empty()
    {
        var stateMachine = new InvocationStateMachine(6);
        Assert.True(stateMachine.TakeOutput().IsEmpty);
        stateMachine.NotifyInput(Frames.Start(1));
        stateMachine.NotifyInput(Frames.Input("1"));
        Assert.True(stateMachine.TakeOutput().IsEmpty);
    }

    [Fact]
    public void FrameDecoderRead_TwoChunksSplitAtEveryByte_OneBufferOverwrittenAfterEachChunk_YieldsEveryFrame()
    {
        var frames = SampleFrames();
        var all = frames.SelectMany(f => f).ToArray();
        var buffer = new byte[all.Length];
        for (var split = 0; split <= all.Length; split++)
        {
            var decoder = new FrameDecoder();
            var decoded = new List<Frame>();
            ReadThrough(decoder, buffer, all.AsSpan(0, split), decoded);
            ReadThrough(decoder, buffer, all.AsSpan(split), decoded);

            AssertSameFrames(frames, decoded);
            Assert.Equal(0, decoder.PendingBytes);
        }
    }

    [Fact]
    public void FrameDecoderRead_ByteByByteThroughOneReusedByte_YieldsEveryFrame()
    {
        var frames = SampleFrames();
        var decoder = new FrameDecoder();
        var decoded = new List<Frame>();
        var buffer = new byte[1];
        foreach (var b in frames.SelectMany(f => f))
        {
            ReadThrough(decoder, buffer, [b], decoded);
        }

        AssertSameFrames(frames, decoded);
        Assert.Equal(0, decoder.PendingBytes);
    }

    [Fact]
    public void FrameDecoderRead_FrameWholeInTheChunk_PayloadIsAViewOfTheChunkNotACopy()
    {
        var input = Frames.Input("{\"a\":1}");
        var chunk = input.Concat(input.AsSpan(0, 5).ToArray()).ToArray();
        var decoder = new FrameDecoder();

        var reader = decoder.Read(chunk);
        Assert.True(reader.TryRead(out var type, out _, out var payload));
        Assert.Equal(MessageType.InputCommand, type);
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(payload), ref chunk[FrameHeader.Size]));
        Assert.False(reader.TryRead(out _, out _, out _));
        Assert.Equal(5, decoder.PendingBytes); // only the split frame's bytes were copied
    }

    [Fact]
    public void NotifyInput_JournalSplitAtEveryByte_OneBufferOverwrittenAfterEachCall_ReplaysEveryValue()
    {
        // Start, Input, 3 RunCommands and their completions: commands are kept for the replay, notifications parsed.
        var journal = new List<byte[]> { Frames.Start(7, key: "k-1"), Frames.Input("\"in\"") };
        journal.AddRange(Enumerable.Range(1, 3).Select(i => Frames.Command(MessageType.RunCommand, Expect.Run((uint)i, $"r{i}").Message)));
        journal.AddRange(Enumerable.Range(1, 3).Select(i =>
            Frames.Notification(MessageType.RunCompletionNotification, completionId: (uint)i, value: $"\"v{i}\"")));
        var all = journal.SelectMany(f => f).ToArray();
        var buffer = new byte[all.Length];
        for (var split = 0; split <= all.Length; split++)
        {
            var stateMachine = new InvocationStateMachine(6);
            Feed(stateMachine, buffer, all.AsSpan(0, split));
            Feed(stateMachine, buffer, all.AsSpan(split));
            stateMachine.NotifyInputClosed();

            Assert.True(stateMachine.IsReadyToExecute(), stateMachine.Failure?.Message);
            var input = stateMachine.SysInput();
            Assert.Equal("k-1", input.Key);
            Assert.Equal("\"in\""u8.ToArray(), input.Body.ToArray());
            var handles = Enumerable.Range(1, 3).Select(i => stateMachine.SysRun($"r{i}")).ToArray();
            Assert.All(handles, h => Assert.True(h.Replayed));
            for (var i = 0; i < handles.Length; i++)
            {
                Assert.IsType<AwaitResponse.AnyCompleted>(stateMachine.DoProgress(new UnresolvedFuture.Single(handles[i].Handle)));
                Values.AssertSuccess($"\"v{i + 1}\"", stateMachine.TakeNotification(handles[i].Handle));
            }
        }
    }

    /// <summary>Copies <paramref name="chunk"/> into <paramref name="buffer"/>, feeds it, then overwrites the buffer.</summary>
    private static void Feed(InvocationStateMachine stateMachine, byte[] buffer, ReadOnlySpan<byte> chunk)
    {
        chunk.CopyTo(buffer);
        stateMachine.NotifyInput(buffer.AsSpan(0, chunk.Length));
        buffer.AsSpan().Fill(0xEE);
    }

    /// <summary>Reads <paramref name="chunk"/> from <paramref name="buffer"/>, copying each payload as a consumer that keeps it would, then overwrites the buffer.</summary>
    private static void ReadThrough(FrameDecoder decoder, byte[] buffer, ReadOnlySpan<byte> chunk, List<Frame> into)
    {
        chunk.CopyTo(buffer);
        var reader = decoder.Read(buffer.AsSpan(0, chunk.Length));
        while (reader.TryRead(out var type, out var flags, out var payload))
        {
            into.Add(new Frame(type, flags, payload.ToArray()));
        }
        buffer.AsSpan().Fill(0xEE);
    }

    private static List<byte[]> SampleFrames() =>
    [
        Frames.Start(4, key: "key", state: new Dictionary<string, string> { ["a"] = new string('x', 300) }),
        Frames.Input("{\"payload\":\"" + new string('y', 1000) + "\"}"),
        Frames.Encode(MessageType.End, new EndMessage()), // zero-length payload
        Frames.Encode(MessageType.ProposeRunCompletion, new ProposeRunCompletionMessage { ResultCompletionId = 3 }, FrameHeader.RequestedAckFlag),
        Frames.Signal(17, value: "\"v\""),
        Frames.Notification(MessageType.SleepCompletionNotification, completionId: 1, isVoid: true),
    ];

    private static void AssertSameFrames(List<byte[]> expected, List<Frame> decoded)
    {
        Assert.Equal(expected.Count, decoded.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var header = FrameHeader.Read(expected[i]);
            Assert.Equal(header.Type, decoded[i].Type);
            Assert.Equal(header.Flags, decoded[i].Flags);
            Assert.Equal(expected[i].AsSpan(FrameHeader.Size).ToArray(), decoded[i].Payload.ToArray());
        }
    }
}
