package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RtpReceptionStatisticsTest {

    private static final long SSRC = 0x1234_5678L;
    private static final long MS = 1_000_000L;

    private final RtpReceptionStatistics stats = new RtpReceptionStatistics(8000);

    @Test
    void countsPacketsAndBytes() {
        for (int i = 0; i < 5; i++) {
            packet(100 + i, 160L * i, 20 * MS * i);
        }
        stats.onOther(40);

        assertThat(stats.packets()).isEqualTo(6);
        assertThat(stats.bytes()).isEqualTo(5 * 172 + 40);
        assertThat(stats.packetsLost()).isZero();
    }

    @Test
    void gapInSequenceNumbersIsCountedAsLost() {
        for (int seq : new int[] {1, 2, 3, 7, 8, 10}) {
            packet(seq, 160L * seq, 20 * MS * seq);
        }

        assertThat(stats.packetsLost()).isEqualTo(4);
    }

    @Test
    void lossIsCountedAcrossTheSequenceNumberWrap() {
        for (int seq : new int[] {65533, 65534, 65535, 2, 3}) {
            packet(seq, 0, 0);
        }

        assertThat(stats.packetsLost()).isEqualTo(2);
    }

    @Test
    void lateAndDuplicatePacketsAreNotLoss() {
        for (int seq : new int[] {1, 2, 4, 3, 5, 5}) {
            packet(seq, 0, 0);
        }

        assertThat(stats.packetsLost()).isZero();
        assertThat(stats.packets()).isEqualTo(6);
    }

    @Test
    void newSourceRestartsSequenceButKeepsEarlierLoss() {
        packet(1, 0, 0);
        packet(3, 0, 0);
        stats.onRtp(172, 5000, 0, SSRC + 1, 0);
        stats.onRtp(172, 5001, 0, SSRC + 1, 0);

        assertThat(stats.packetsLost()).isEqualTo(1);
    }

    @Test
    void aSingleWildJumpIsIgnoredButAConfirmedOneRestarts() {
        packet(1, 0, 0);
        packet(2, 0, 0);
        packet(40000, 0, 0);
        packet(3, 0, 0);
        assertThat(stats.packetsLost()).isZero();

        packet(20000, 0, 0);
        packet(20001, 0, 0);
        packet(20002, 0, 0);
        assertThat(stats.packetsLost()).isZero();
    }

    @Test
    void packetsArrivingOnTheirClockHaveNoJitter() {
        for (int i = 0; i < 50; i++) {
            packet(i, 160L * i, 20 * MS * i);
        }

        assertThat(stats.jitter()).isZero();
        assertThat(stats.jitterMillis()).isZero();
    }

    @Test
    void jitterFollowsRfc3550() {
        // Every other packet arrives 4 ms late: |D| = 32 timestamp units (4 ms at 8 kHz) for each packet after the
        // first, so J converges on 32 units = 4 ms, from J(n) = 32 (1 - (15/16)^n).
        int n = 200;
        for (int i = 0; i <= n; i++) {
            long late = i % 2 == 1 ? 4 * MS : 0;
            packet(i, 160L * i, 20 * MS * i + late);
        }

        assertThat(stats.jitter()).isCloseTo(32.0, within(0.01));
        assertThat(stats.jitterMillis()).isCloseTo(4.0, within(0.001));
    }

    @Test
    void jitterAfterAFewPacketsMatchesTheFormula() {
        packet(0, 0, 0);
        packet(1, 160, 30 * MS);
        packet(2, 320, 40 * MS);

        // D1 = 240 - 160 = 80 units: J = 80/16 = 5; D2 = 320 - 320 - 80 = -80: J = 5 + (80 - 5)/16 = 9.6875
        assertThat(stats.jitter()).isCloseTo(9.6875, within(1e-9));
    }

    @Test
    void timestampWrapDoesNotLookLikeJitter() {
        long start = (1L << 32) - 320;
        for (int i = 0; i < 5; i++) {
            packet(i, (start + 160L * i) & 0xFFFF_FFFFL, 20 * MS * i);
        }

        assertThat(stats.jitter()).isZero();
    }

    private void packet(int sequence, long timestamp, long arrivalNanos) {
        stats.onRtp(172, sequence, timestamp, SSRC, 1_000 * MS + arrivalNanos);
    }
}
