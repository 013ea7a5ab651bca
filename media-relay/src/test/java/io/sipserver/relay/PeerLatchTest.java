package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerLatchTest {

    private static final InetSocketAddress ANNOUNCED = new InetSocketAddress("192.168.1.20", 4000);
    private static final InetSocketAddress REAL = new InetSocketAddress("198.51.100.7", 61000);
    private static final InetSocketAddress INTRUDER = new InetSocketAddress("203.0.113.66", 5004);

    private final PeerLatch latch = new PeerLatch();

    @Test
    void sendsToTheAnnouncedAddressUntilTheFirstPacket() {
        assertThat(latch.destination()).isNull();

        latch.expect(ANNOUNCED);

        assertThat(latch.destination()).isEqualTo(ANNOUNCED);
        assertThat(latch.latched()).isNull();
    }

    @Test
    void latchesToWherePacketsReallyComeFrom() {
        latch.expect(ANNOUNCED);

        receive(REAL);

        assertThat(latch.latched()).isEqualTo(REAL);
        assertThat(latch.destination()).isEqualTo(REAL);
    }

    @Test
    void afterLatchingOtherSourcesAreDroppedAndCounted() {
        latch.expect(ANNOUNCED);
        assertThat(receive(REAL)).isTrue();

        assertThat(receive(INTRUDER)).isFalse();
        assertThat(receive(ANNOUNCED)).isFalse();
        assertThat(receive(REAL)).isTrue();

        assertThat(latch.dropped()).isEqualTo(2);
        assertThat(latch.destination()).isEqualTo(REAL);
    }

    @Test
    void reannouncingTheSameAddressKeepsTheLatch() {
        latch.expect(ANNOUNCED);
        receive(REAL);

        latch.expect(new InetSocketAddress("192.168.1.20", 4000));

        assertThat(latch.destination()).isEqualTo(REAL);
        assertThat(receive(INTRUDER)).isFalse();
    }

    @Test
    void aNewAddressReopensLatching() {
        InetSocketAddress moved = new InetSocketAddress("192.168.1.21", 4002);
        InetSocketAddress movedReal = new InetSocketAddress("198.51.100.8", 62000);
        latch.expect(ANNOUNCED);
        receive(REAL);

        latch.expect(moved);

        assertThat(latch.destination()).isEqualTo(moved);
        assertThat(receive(movedReal)).isTrue();
        assertThat(latch.destination()).isEqualTo(movedReal);
        assertThat(receive(REAL)).isFalse();
    }

    /** What the latching and strict-source handlers do with one packet. */
    private boolean receive(InetSocketAddress source) {
        latch.latchIfOpen(source);
        return latch.admits(source);
    }
}
