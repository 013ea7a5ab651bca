package io.sipserver.relay.netty;

import io.sipserver.relay.LegStats;
import io.sipserver.relay.RelayPortsExhaustedException;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.RtpClockRates;
import io.sipserver.relay.Side;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A call's streams. Signalling threads serialise on the session; the packet path never takes its lock. */
final class NettyRelaySession implements RelaySession {

    /** More m-lines than this in one SDP is abuse (each costs four sockets), not a call. */
    static final int MAX_STREAMS = 16;

    /** Opens stream number {@code index} for {@code session} (binds its sockets or reuses pooled ones). */
    interface StreamOpener {
        NettyRelayStream open(NettyRelaySession session, int index) throws RelayPortsExhaustedException;
    }

    private final String id;
    private final String callId;
    private final Instant createdAt;
    private final StreamOpener opener;
    private final List<NettyRelayStream> streams = new ArrayList<>();
    private final List<RelayStream> views = new ArrayList<>();
    private boolean released;

    NettyRelaySession(String id, String callId, Instant createdAt, StreamOpener opener) {
        this.id = id;
        this.callId = callId;
        this.createdAt = createdAt;
        this.opener = opener;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public synchronized List<RelayStream> streams() {
        return List.copyOf(views);
    }

    @Override
    public synchronized RelayStream stream(int index) throws RelayPortsExhaustedException {
        if (index < 0 || index >= MAX_STREAMS) {
            throw new IllegalArgumentException("stream index " + index + " outside 0.." + (MAX_STREAMS - 1));
        }
        if (released) {
            throw new IllegalStateException("relay session " + id + " has been released");
        }
        while (streams.size() <= index) {
            NettyRelayStream stream = opener.open(this, streams.size());
            streams.add(stream);
            views.add(new View(stream));
        }
        return views.get(index);
    }

    @Override
    public Instant lastPacketAt() {
        return Instant.ofEpochMilli(lastPacketMillis());
    }

    /** The latest packet stamp over all streams (each starts at its creation time). */
    synchronized long lastPacketMillis() {
        long last = createdAt.toEpochMilli();
        for (NettyRelayStream stream : streams) {
            last = Math.max(last, stream.lastPacketMillis().get());
        }
        return last;
    }

    /**
     * A stream as this session sees it. Streams are pooled: one that a released session (or a thread still holding
     * its stream) tries to change may already serve another call, so changes made through a stale view are ignored.
     */
    final class View implements RelayStream {

        private final NettyRelayStream stream;

        View(NettyRelayStream stream) {
            this.stream = stream;
        }

        NettyRelayStream stream() {
            return stream;
        }

        @Override
        public int rtpPort(Side side) {
            return stream.rtpPort(side);
        }

        @Override
        public void setPeer(Side side, InetSocketAddress rtp, InetSocketAddress rtcp) {
            stream.setPeer(NettyRelaySession.this, side, rtp, rtcp);
        }

        @Override
        public void setClockRates(Side side, RtpClockRates rates) {
            stream.setClockRates(NettyRelaySession.this, side, rates);
        }

        @Override
        public Optional<InetSocketAddress> peer(Side side) {
            return stream.peer(side);
        }

        @Override
        public LegStats stats(Side side) {
            return stream.stats(side);
        }
    }

    /** Marks the session released (no new streams) and returns its streams, to be closed by the caller. */
    synchronized List<NettyRelayStream> markReleased() {
        released = true;
        return List.copyOf(streams);
    }
}
