package io.sipserver.relay.netty;

import io.netty.channel.ChannelPipeline;
import java.time.Clock;
import java.util.function.LongSupplier;

/** The packet path of one relay socket, as a pipeline of small handlers. */
final class RelayPipeline {

    private RelayPipeline() {
    }

    /**
     * Latching, strict source, RTP statistics (RTP sockets only), activity stamp, forwarding out of the other side's
     * port of the same kind. A leg's unconnected and fast-path sockets get the same pipeline.
     *
     * @param nanoTime monotonic clock for RTP arrival times (jitter)
     */
    static void install(ChannelPipeline pipeline, NettyRelayStream stream, Leg leg, FastPath fastPath, Clock clock,
                        LongSupplier nanoTime) {
        pipeline.addLast(new LatchingHandler(leg, fastPath), new StrictSourceHandler(leg.latch));
        if (!leg.rtcp) {
            pipeline.addLast(new RtpStatisticsHandler(stream.receivedFrom(leg.side), nanoTime));
        }
        pipeline.addLast(new ActivityHandler(stream.lastPacketMillis(), clock),
                new ForwardingHandler(stream.leg(leg.side.other(), leg.rtcp)));
    }
}
