using System.Buffers.Binary;
using System.Diagnostics;

namespace Weft.Wasi;

// poll_oneoff: clock subscriptions wait; descriptor subscriptions are ready at once (files and the standard
// streams never block in a way the host could observe without reading), so a poll with any of them returns
// immediately with those events plus any clock already due.
internal sealed partial class WasiPreview1
{
    private const int SubscriptionSize = 48;
    private const int EventSize = 32;

    private Errno PollOneoff(Caller c, int input, int output, int count, int result)
    {
        if (count <= 0) return Errno.Inval;
        var subscriptions = Bytes(c, input, checked(count * SubscriptionSize)).ToArray();
        var events = new List<(ulong UserData, Errno Error, byte Type, ulong Bytes)>();
        long start = Stopwatch.GetTimestamp();
        TimeSpan? earliest = null;
        var clocks = new List<(ulong UserData, TimeSpan Due)>();
        for (int i = 0; i < count; i++)
        {
            var s = subscriptions.AsSpan(i * SubscriptionSize, SubscriptionSize);
            ulong userData = BinaryPrimitives.ReadUInt64LittleEndian(s);
            byte tag = s[8];
            switch (tag)
            {
                case EventType.Clock:
                {
                    int id = BinaryPrimitives.ReadInt32LittleEndian(s[16..]);
                    ulong timeout = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
                    bool absolute = (BinaryPrimitives.ReadUInt16LittleEndian(s[40..]) & 1) != 0;
                    if (id is < 0 or > ClockId.ThreadCputime)
                    {
                        events.Add((userData, Errno.Inval, EventType.Clock, 0));
                        break;
                    }
                    ulong wait = absolute ? (timeout > Now(id) ? timeout - Now(id) : 0) : timeout;
                    var due = TimeSpan.FromTicks((long)Math.Min(wait / 100, (ulong)TimeSpan.MaxValue.Ticks / 2));
                    clocks.Add((userData, due));
                    if (earliest is null || due < earliest) earliest = due;
                    break;
                }
                case EventType.FdRead:
                case EventType.FdWrite:
                {
                    int fd = BinaryPrimitives.ReadInt32LittleEndian(s[16..]);
                    if (!_descriptors.IsOpen(fd))
                    {
                        events.Add((userData, Errno.BadF, tag, 0));
                        break;
                    }
                    var d = _descriptors.Get(fd);
                    ulong available = 0;
                    if (tag == EventType.FdRead && d is FileDescriptor f) available = (ulong)Math.Max(0, f.Length - f.Position);
                    if ((d.RightsBase & Rights.PollFdReadwrite) == 0 && d is not DirectoryDescriptor)
                    {
                        events.Add((userData, Errno.NotCapable, tag, 0));
                        break;
                    }
                    events.Add((userData, Errno.Success, tag, available));
                    break;
                }
                default:
                    return Errno.Inval;
            }
        }
        if (events.Count == 0 && earliest is { } sleep && sleep > TimeSpan.Zero)
        {
            Thread.Sleep(sleep);
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        foreach (var (userData, due) in clocks)
        {
            if (due <= elapsed || events.Count == 0 && due == earliest) events.Add((userData, Errno.Success, EventType.Clock, 0));
        }

        var target = Bytes(c, output, checked(events.Count * EventSize));
        target.Clear();
        for (int i = 0; i < events.Count; i++)
        {
            var e = target.Slice(i * EventSize, EventSize);
            BinaryPrimitives.WriteUInt64LittleEndian(e, events[i].UserData);
            BinaryPrimitives.WriteUInt16LittleEndian(e[8..], (ushort)events[i].Error);
            e[10] = events[i].Type;
            BinaryPrimitives.WriteUInt64LittleEndian(e[16..], events[i].Bytes);
        }
        WriteU32(c, result, (uint)events.Count);
        return Errno.Success;
    }
}
