package io.sipserver.relay.netty;

import io.netty.channel.Channel;
import io.sipserver.relay.PeerLatch;
import io.sipserver.relay.Side;

/** One relay socket: the RTP or RTCP port facing one side, and where that side's endpoint is. */
final class Leg {

    final Side side;
    final boolean rtcp;
    final PeerLatch latch = new PeerLatch();
    /** Set once, after bind and before the first read is enabled (that hand-over goes through the event loop). */
    Channel channel;

    Leg(Side side, boolean rtcp) {
        this.side = side;
        this.rtcp = rtcp;
    }
}
