package io.sipserver.relay.web;

import io.sipserver.relay.LegStats;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.Side;
import io.sipserver.relay.SocketAddresses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A relay session as the REST API shows it (also embeddable in a call's JSON): each stream with, per side, the
 * relay's ports, the peer announced in SDP, and what that side sent (latched address and statistics).
 */
public record RelaySessionView(String id, String callId, Instant createdAt, Instant lastPacketAt,
                               List<StreamView> streams) {

    /** One m-line's stream; {@code a} faces the caller, {@code b} the callee. */
    public record StreamView(int index, SideView a, SideView b) {
    }

    /**
     * @param rtpPort the relay's RTP port facing this side (RTCP on {@code rtpPort + 1})
     * @param peer {@code host:port} announced in SDP (or preset), null if none
     * @param stats what this side sent; {@code stats.latchedAddress()} is where it really sends from
     */
    public record SideView(int rtpPort, String peer, LegStats stats) {

        static SideView of(RelayStream stream, Side side) {
            return new SideView(stream.rtpPort(side), stream.peer(side).map(SocketAddresses::format).orElse(null),
                    stream.stats(side));
        }
    }

    public static RelaySessionView of(RelaySession session) {
        List<RelayStream> streams = session.streams();
        List<StreamView> views = new ArrayList<>(streams.size());
        for (int i = 0; i < streams.size(); i++) {
            RelayStream stream = streams.get(i);
            views.add(new StreamView(i, SideView.of(stream, Side.A), SideView.of(stream, Side.B)));
        }
        return new RelaySessionView(session.id(), session.callId(), session.createdAt(), session.lastPacketAt(),
                List.copyOf(views));
    }
}
