package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelayTrafficTallyTest {

    private final RelayTrafficTally tally = new RelayTrafficTally();

    @Test
    void sumsBothSidesOfEveryStreamOfTheLiveSessions() {
        FakeRelaySession call1 = session(leg(10, 1600, 0), leg(8, 1280, 1), leg(1, 100, 0), leg(0, 0, 0));
        FakeRelaySession call2 = session(leg(5, 800, 2), leg(5, 800, 0));

        assertThat(tally.total(List.of())).isEqualTo(RelayTraffic.NONE);
        assertThat(tally.total(List.of(call1, call2))).isEqualTo(new RelayTraffic(29, 4580, 3));
    }

    @Test
    void aRetiredSessionStaysCounted() {
        FakeRelaySession call = session(leg(10, 1600, 1), leg(8, 1280, 0));
        assertThat(tally.total(List.of(call))).isEqualTo(new RelayTraffic(18, 2880, 1));

        call.streams().forEach(tally::retire);

        assertThat(tally.total(List.of())).isEqualTo(new RelayTraffic(18, 2880, 1));
        FakeRelaySession next = session(leg(2, 320, 0), leg(0, 0, 0));
        assertThat(tally.total(List.of(next))).isEqualTo(new RelayTraffic(20, 3200, 1));
    }

    @Test
    void aSessionBetweenLeavingTheLiveSetAndRetiringDoesNotMakeTheTotalsDip() {
        FakeRelaySession call = session(leg(10, 1600, 1), leg(8, 1280, 0));
        tally.total(List.of(call));

        assertThat(tally.total(List.of())).as("released, not yet retired").isEqualTo(new RelayTraffic(18, 2880, 1));
        call.streams().forEach(tally::retire);
        assertThat(tally.total(List.of())).isEqualTo(new RelayTraffic(18, 2880, 1));
    }

    private static LegStats leg(long packets, long bytes, long dropped) {
        return new LegStats(packets, bytes, 0, 0, null, dropped);
    }

    /** A session whose stream i reported {@code legs[2i]} on side A and {@code legs[2i+1]} on side B. */
    private static FakeRelaySession session(LegStats... legs) {
        FakeRelaySession session = new FakeRelaySession();
        for (int i = 0; i < legs.length / 2; i++) {
            session.stream(i);
            session.fake(i).stats.put(Side.A, legs[2 * i]);
            session.fake(i).stats.put(Side.B, legs[2 * i + 1]);
        }
        return session;
    }
}
