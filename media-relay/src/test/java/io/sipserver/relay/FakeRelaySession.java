package io.sipserver.relay;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A relay session with fixed ports (stream i: side A 20000 + 100 i, side B 30000 + 100 i) that records peers and
 * clock rates, and reports the statistics a test gives it.
 */
final class FakeRelaySession implements RelaySession {

    private final List<FakeStream> streams = new ArrayList<>();

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public String callId() {
        return "fake-call";
    }

    @Override
    public Instant createdAt() {
        return Instant.EPOCH;
    }

    @Override
    public List<RelayStream> streams() {
        return List.copyOf(streams);
    }

    @Override
    public RelayStream stream(int index) {
        while (streams.size() <= index) {
            streams.add(new FakeStream(streams.size()));
        }
        return streams.get(index);
    }

    @Override
    public Instant lastPacketAt() {
        return Instant.EPOCH;
    }

    FakeStream fake(int index) {
        return streams.get(index);
    }

    int streamCount() {
        return streams.size();
    }

    static final class FakeStream implements RelayStream {
        private final int index;
        final Map<Side, InetSocketAddress> rtpPeers = new EnumMap<>(Side.class);
        final Map<Side, InetSocketAddress> rtcpPeers = new EnumMap<>(Side.class);
        final Map<Side, RtpClockRates> clockRates = new EnumMap<>(Side.class);
        final Map<Side, LegStats> stats = new EnumMap<>(Side.class);

        FakeStream(int index) {
            this.index = index;
        }

        @Override
        public int rtpPort(Side side) {
            return (side == Side.A ? 20000 : 30000) + 100 * index;
        }

        @Override
        public void setPeer(Side side, InetSocketAddress rtp, InetSocketAddress rtcp) {
            rtpPeers.put(side, rtp);
            if (rtcp != null) {
                rtcpPeers.put(side, rtcp);
            }
        }

        @Override
        public void setClockRates(Side side, RtpClockRates rates) {
            clockRates.put(side, rates);
        }

        @Override
        public Optional<InetSocketAddress> peer(Side side) {
            return Optional.ofNullable(rtpPeers.get(side));
        }

        @Override
        public LegStats stats(Side side) {
            return stats.getOrDefault(side, new LegStats(0, 0, 0, 0, null, 0));
        }
    }
}
