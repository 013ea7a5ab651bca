package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtpReceptionStatisticsTest {

    private static final long SSRC = 0x1234_5678L;
    private static final long MS = 1_000_000L;
    private static final int PCMU = 0;
    private static final int OPUS = 111;
    private static final int TELEPHONE_EVENT = 101;

    private final RtpReceptionStatistics stats = new RtpReceptionStatistics();

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
        stats.onRtp(172, PCMU, 5000, 0, SSRC + 1, 0);
        stats.onRtp(172, PCMU, 5001, 0, SSRC + 1, 0);

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

    @Test
    void jitterOfA48KilohertzStreamIsMeasuredInItsOwnClock() {
        stats.clockRates(rtpmaps("111 opus/48000/2"));

        everyOtherPacketFourMillisecondsLate(stats, OPUS);

        // 4 ms at 48 kHz is 192 timestamp units.
        assertThat(stats.jitter()).isCloseTo(192.0, within(0.1));
        assertThat(stats.jitterMillis()).isCloseTo(4.0, within(0.001));
    }

    @Test
    void theSame48KilohertzStreamTakenFor8KilohertzGivesNonsense() {
        RtpReceptionStatistics unmapped = new RtpReceptionStatistics();

        everyOtherPacketFourMillisecondsLate(unmapped, OPUS);

        // Timestamps that advance 960 per 20 ms read as 120 ms of media every 20 ms: |D| is 100 +- 4 ms.
        assertThat(unmapped.jitterMillis()).isCloseTo(100.0, within(0.5));
    }

    @Test
    void staticPayloadTypesUseTheirRfc3551ClockWithoutAnyRtpmap() {
        // L16 (PT 11) at 44.1 kHz, 20 ms = 882 samples per packet, every other one 4 ms late.
        int n = 200;
        for (int i = 0; i <= n; i++) {
            long late = i % 2 == 1 ? 4 * MS : 0;
            stats.onRtp(1776, 11, i, 882L * i, SSRC, 1_000 * MS + 20 * MS * i + late);
        }

        // 4 ms is 176.4 units at 44.1 kHz, counted as 176: 3.991 ms.
        assertThat(stats.jitterMillis()).isCloseTo(4.0, within(0.02));
    }

    @Test
    void switchingToAPayloadTypeWithAnotherClockDoesNotCompareTransitTimesAcrossClocks() {
        stats.clockRates(rtpmaps("111 opus/48000/2", "101 telephone-event/8000"));
        everyOtherPacketFourMillisecondsLate(stats, OPUS);
        double beforeMillis = stats.jitterMillis();

        // The sender goes on, on time, with DTMF events at 8 kHz in the same SSRC, then back to Opus.
        long start = 1_000 * MS + 20 * MS * 201;
        stats.onRtp(172, TELEPHONE_EVENT, 201, 50_000, SSRC, start);
        assertThat(stats.jitterMillis()).as("first packet at the new clock: no D").isCloseTo(beforeMillis, within(1e-9));
        assertThat(stats.jitter()).as("in 8 kHz units now").isCloseTo(beforeMillis * 8, within(1e-9));
        stats.onRtp(172, TELEPHONE_EVENT, 202, 50_160, SSRC, start + 20 * MS);
        assertThat(stats.jitterMillis()).as("on time: decays by 1/16").isCloseTo(beforeMillis * 15 / 16, within(1e-9));
        stats.onRtp(172, OPUS, 203, 7_000_000, SSRC, start + 40 * MS);
        stats.onRtp(172, OPUS, 204, 7_000_960, SSRC, start + 60 * MS);

        assertThat(stats.jitterMillis()).isCloseTo(beforeMillis * 15 / 16 * 15 / 16, within(1e-9));
    }

    @Test
    void newClockRatesApplyFromTheNextPacket() {
        everyOtherPacketFourMillisecondsLate(stats, 96);
        assertThat(stats.jitterMillis()).as("unmapped dynamic type: 8 kHz, far off").isGreaterThan(50);

        stats.clockRates(rtpmaps("96 opus/48000/2"));
        long start = 1_000 * MS + 20 * MS * 201;
        for (int i = 0; i < 400; i++) {
            stats.onRtp(172, 96, 201 + i, 960L * (201 + i), SSRC, start + 20 * MS * i);
        }

        assertThat(stats.jitterMillis()).as("decayed towards 0 once measured in the right clock").isLessThan(0.01);
    }

    @Test
    void resetForgetsTheClockRates() {
        stats.clockRates(rtpmaps("111 opus/48000/2"));
        stats.reset();

        everyOtherPacketFourMillisecondsLate(stats, OPUS);

        assertThat(stats.jitterMillis()).isCloseTo(100.0, within(0.5));
    }

    /** 20 ms packets of a 48 kHz clock (960 units each), every other one arriving 4 ms late; packets 0..200. */
    private static void everyOtherPacketFourMillisecondsLate(RtpReceptionStatistics statistics, int payloadType) {
        for (int i = 0; i <= 200; i++) {
            long late = i % 2 == 1 ? 4 * MS : 0;
            statistics.onRtp(172, payloadType, i, 960L * i, SSRC, 1_000 * MS + 20 * MS * i + late);
        }
    }

    private static RtpClockRates rtpmaps(String... values) {
        return RtpClockRates.fromRtpmaps(List.of(values));
    }

    private void packet(int sequence, long timestamp, long arrivalNanos) {
        stats.onRtp(172, PCMU, sequence, timestamp, SSRC, 1_000 * MS + arrivalNanos);
    }
}
