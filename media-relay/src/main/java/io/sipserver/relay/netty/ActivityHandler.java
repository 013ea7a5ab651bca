package io.sipserver.relay.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stamps the stream's last-packet time (read by the media-timeout scan). The stamp is an ordered (release)
 * store after the statistics of the same packet were written, so a reader that reads the stamp first sees
 * statistics at least that recent, without a lock or a fence on the packet path.
 */
final class ActivityHandler extends ChannelInboundHandlerAdapter {

    private final AtomicLong lastPacketMillis;
    private final Clock clock;

    ActivityHandler(AtomicLong lastPacketMillis, Clock clock) {
        this.lastPacketMillis = lastPacketMillis;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastPacketMillis.lazySet(clock.millis());
        ctx.fireChannelRead(msg);
    }
}
