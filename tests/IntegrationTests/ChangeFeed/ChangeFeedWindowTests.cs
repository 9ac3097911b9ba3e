using CrmTenancy.Infrastructure.ChangeFeed;

namespace CrmTenancy.IntegrationTests.ChangeFeed;

/// <summary>
/// A tenant's window of recent change events on one instance: it answers a stream only from where it holds every event,
/// in order and filtered, and sends a stream it cannot serve (not started, or behind the oldest event kept) to the table.
/// </summary>
public sealed class ChangeFeedWindowTests
{
    private static readonly Guid Tenant = Guid.NewGuid();

    private static List<ChangeEvent> Events(long from, long to, string recordType = "customer") =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(sequence => ChangeEvent.Of(Tenant, sequence, "CustomerCreated",
            new RecordChange(recordType, Guid.NewGuid(), "created"), null, DateTimeOffset.UtcNow))];

    [Fact]
    public void A_window_not_yet_read_sends_every_stream_to_the_table()
    {
        var feed = new ChangeFeedHub.TenantFeed(Tenant);
        Assert.Null(feed.After(0, _ => true));
    }

    [Fact]
    public void It_answers_what_follows_a_stream_in_order_and_filtered()
    {
        var feed = new ChangeFeedHub.TenantFeed(Tenant);
        feed.Start(10);
        feed.Append(Events(11, 15));
        feed.Append(Events(16, 17, "lead"));

        Assert.Equal([13L, 14, 15, 16, 17], feed.After(12, _ => true)!.Select(e => e.Sequence));
        Assert.Equal([11L, 12, 13, 14, 15], feed.After(10, e => e.RecordType == "customer")!.Select(e => e.Sequence));
        Assert.Empty(feed.After(17, _ => true)!);
        // A stream ahead of the window (it read the table after a commit the window has not read yet) gets nothing new.
        Assert.Empty(feed.After(40, _ => true)!);
        Assert.Equal(17, feed.Cursor);
        // Before the window's start: the window cannot say what it missed.
        Assert.Null(feed.After(9, _ => true));
    }

    [Fact]
    public void Events_that_leave_the_window_send_streams_behind_them_to_the_table()
    {
        var feed = new ChangeFeedHub.TenantFeed(Tenant);
        feed.Start(0);
        feed.Append(Events(1, ChangeFeedHub.Window + 100));

        Assert.Null(feed.After(99, _ => true));
        var kept = feed.After(100, _ => true)!;
        Assert.Equal(ChangeFeedHub.Window, kept.Count);
        Assert.Equal(101, kept[0].Sequence);
        Assert.Equal(ChangeFeedHub.Window + 100, kept[^1].Sequence);
    }
}
