package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelayTrafficTallyTest {

    private final RelayTrafficTally tally = new RelayTrafficTally();

    @Test
    void sumsBothSidesOfEveryStreamOfTheLiveSessions() {
        Session call1 = new Session(new Stream(leg(10, 1600, 0), leg(8, 1280, 1)), new Stream(leg(1, 100, 0), leg(0, 0, 0)));
        Session call2 = new Session(new Stream(leg(5, 800, 2), leg(5, 800, 0)));

        assertThat(tally.total(List.of())).isEqualTo(RelayTraffic.NONE);
        assertThat(tally.total(List.of(call1, call2))).isEqualTo(new RelayTraffic(29, 4580, 3));
    }

    @Test
    void aRetiredSessionStaysCounted() {
        Session call = new Session(new Stream(leg(10, 1600, 1), leg(8, 1280, 0)));
        assertThat(tally.total(List.of(call))).isEqualTo(new RelayTraffic(18, 2880, 1));

        tally.retire(call);

        assertThat(tally.total(List.of())).isEqualTo(new RelayTraffic(18, 2880, 1));
        Session next = new Session(new Stream(leg(2, 320, 0), leg(0, 0, 0)));
        assertThat(tally.total(List.of(next))).isEqualTo(new RelayTraffic(20, 3200, 1));
    }

    @Test
    void aSessionBetweenLeavingTheLiveSetAndRetiringDoesNotMakeTheTotalsDip() {
        Session call = new Session(new Stream(leg(10, 1600, 1), leg(8, 1280, 0)));
        tally.total(List.of(call));

        assertThat(tally.total(List.of())).as("released, not yet retired").isEqualTo(new RelayTraffic(18, 2880, 1));
        tally.retire(call);
        assertThat(tally.total(List.of())).isEqualTo(new RelayTraffic(18, 2880, 1));
    }

    private static LegStats leg(long packets, long bytes, long dropped) {
        return new LegStats(packets, bytes, 0, 0, null, dropped);
    }

    private record Stream(LegStats a, LegStats b) implements RelayStream {
        @Override
        public int rtpPort(Side side) {
            return 0;
        }

        @Override
        public void setPeer(Side side, InetSocketAddress rtp, InetSocketAddress rtcp) {
        }

        @Override
        public Optional<InetSocketAddress> peer(Side side) {
            return Optional.empty();
        }

        @Override
        public LegStats stats(Side side) {
            return side == Side.A ? a : b;
        }
    }

    private static final class Session implements RelaySession {
        private final List<RelayStream> streams;

        Session(RelayStream... streams) {
            this.streams = new ArrayList<>(List.of(streams));
        }

        @Override
        public String id() {
            return "s";
        }

        @Override
        public String callId() {
            return "c";
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
            return streams.get(index);
        }

        @Override
        public Instant lastPacketAt() {
            return Instant.EPOCH;
        }
    }
}
