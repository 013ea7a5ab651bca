package io.sipserver.relay.netty;

import io.netty.channel.Channel;
import io.sipserver.relay.PeerLatch;
import io.sipserver.relay.Side;
import java.net.InetSocketAddress;

/** One relay port: the RTP or RTCP port facing one side, its sockets, and where that side's endpoint is. */
final class Leg {

    final Side side;
    final boolean rtcp;
    final PeerLatch latch = new PeerLatch();
    /** The port's unconnected socket. Set once, after bind and before reading starts (a hand-over through the loop). */
    Channel channel;
    /** The {@link FastPath} socket connected to {@link #connectedTo}, or null. Event loop only. */
    Channel connected;
    InetSocketAddress connectedTo;
    /**
     * True while the stream waits in the relay's pool between two calls: every packet is dropped unseen, so a late
     * packet of the last call can neither latch nor count. Set by signalling when the call ends, cleared when the
     * stream serves its next call.
     */
    volatile boolean idle;

    Leg(Side side, boolean rtcp) {
        this.side = side;
        this.rtcp = rtcp;
    }

    /** The socket to send to {@code destination} through: the connected one when it is connected there. */
    Channel socketFor(InetSocketAddress destination) {
        return destination == connectedTo && connected != null ? connected : channel;
    }

    /** Closes the fast-path socket, if any. Event loop only. */
    void closeFastPath() {
        if (connected != null) {
            connected.close();
            connected = null;
            connectedTo = null;
        }
    }
}
