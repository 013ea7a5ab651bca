package io.sipserver.relay.netty;

import io.netty.channel.EventLoop;
import io.sipserver.relay.LegStats;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.RtpClockRates;
import io.sipserver.relay.RtpReceptionStatistics;
import io.sipserver.relay.Side;
import io.sipserver.relay.SocketAddresses;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream's four sockets (RTP and RTCP for each side) and their state. All four sockets are registered with the
 * same event loop, so the packet path of a stream is single-threaded: its counters are plain fields.
 */
final class NettyRelayStream implements RelayStream {

    private final Leg rtpA = new Leg(Side.A, false);
    private final Leg rtcpA = new Leg(Side.A, true);
    private final Leg rtpB = new Leg(Side.B, false);
    private final Leg rtcpB = new Leg(Side.B, true);
    private final RtpReceptionStatistics receivedFromA = new RtpReceptionStatistics();
    private final RtpReceptionStatistics receivedFromB = new RtpReceptionStatistics();
    /** The clock rates each side's SDP maps. Guarded by this. */
    private RtpClockRates mappedByA = RtpClockRates.UNMAPPED;
    private RtpClockRates mappedByB = RtpClockRates.UNMAPPED;
    private final AtomicLong lastPacketMillis;
    private volatile int portA;
    private volatile int portB;
    /** The session served now; streams are pooled and serve one call after another. Guarded by this. */
    private NettyRelaySession owner;

    NettyRelayStream(long createdMillis) {
        this.lastPacketMillis = new AtomicLong(createdMillis);
    }

    Leg leg(Side side, boolean rtcp) {
        return side == Side.A ? (rtcp ? rtcpA : rtpA) : (rtcp ? rtcpB : rtpB);
    }

    List<Leg> legs() {
        return List.of(rtpA, rtcpA, rtpB, rtcpB);
    }

    RtpReceptionStatistics receivedFrom(Side side) {
        return side == Side.A ? receivedFromA : receivedFromB;
    }

    AtomicLong lastPacketMillis() {
        return lastPacketMillis;
    }

    void port(Side side, int rtpPort) {
        if (side == Side.A) {
            portA = rtpPort;
        } else {
            portB = rtpPort;
        }
    }

    @Override
    public int rtpPort(Side side) {
        return side == Side.A ? portA : portB;
    }

    /** Hands the stream to {@code session}: its sockets start relaying (again), as of {@code nowMillis}. */
    synchronized void serve(NettyRelaySession session, long nowMillis) {
        owner = session;
        lastPacketMillis.set(nowMillis);
        for (Leg leg : legs()) {
            leg.idle = false;
        }
    }

    /**
     * Takes the stream back from its session as the call ends: from now on every packet is dropped unseen and
     * changes through the session's views are ignored. Any thread; {@link #retire} follows on the event loop.
     */
    synchronized void stopServing() {
        owner = null;
        mappedByA = RtpClockRates.UNMAPPED;
        mappedByB = RtpClockRates.UNMAPPED;
        for (Leg leg : legs()) {
            leg.idle = true;
        }
    }

    /**
     * Readies a stream that {@link #stopServing stopped serving} for the pool: fast-path sockets closed, latches and
     * statistics as new. Event loop only.
     */
    void retire() {
        for (Leg leg : legs()) {
            leg.closeFastPath();
            leg.latch.reset();
        }
        receivedFromA.reset();
        receivedFromB.reset();
    }

    /** The event loop all four sockets are registered with (once bound). */
    EventLoop eventLoop() {
        return rtpA.channel.eventLoop();
    }

    /** {@link #setPeer} on behalf of {@code session}; ignored once the stream serves another call. */
    synchronized void setPeer(NettyRelaySession session, Side side, InetSocketAddress rtp, InetSocketAddress rtcp) {
        if (owner == session) {
            setPeer(side, rtp, rtcp);
        }
    }

    @Override
    public synchronized void setPeer(Side side, InetSocketAddress rtp, InetSocketAddress rtcp) {
        leg(side, false).latch.expect(rtp);
        leg(side, true).latch.expect(rtcp != null ? rtcp : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1));
    }

    /** {@link #setClockRates} on behalf of {@code session}; ignored once the stream serves another call. */
    synchronized void setClockRates(NettyRelaySession session, Side side, RtpClockRates rates) {
        if (owner == session) {
            setClockRates(side, rates);
        }
    }

    @Override
    public synchronized void setClockRates(Side side, RtpClockRates rates) {
        if (side == Side.A) {
            mappedByA = rates;
        } else {
            mappedByB = rates;
        }
        receivedFromA.clockRates(mappedByA.orElse(mappedByB));
        receivedFromB.clockRates(mappedByB.orElse(mappedByA));
    }

    @Override
    public Optional<InetSocketAddress> peer(Side side) {
        return Optional.ofNullable(leg(side, false).latch.expected());
    }

    @Override
    public LegStats stats(Side side) {
        // Reading the stamp first (a volatile read) makes the event loop's writes before its last stamp visible.
        lastPacketMillis.get();
        RtpReceptionStatistics received = receivedFrom(side);
        InetSocketAddress latched = leg(side, false).latch.latched();
        return new LegStats(received.packets(), received.bytes(), received.packetsLost(), received.jitterMillis(),
                latched == null ? null : SocketAddresses.format(latched),
                leg(side, false).latch.dropped() + leg(side, true).latch.dropped());
    }
}
