package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RtpClockRatesTest {

    @ParameterizedTest(name = "a=rtpmap:{0} -> PT {1} at {2} Hz")
    @CsvSource(delimiter = '|', value = {
            "111 opus/48000/2|111|48000",
            "96 H264/90000|96|90000",
            "101 telephone-event/48000|101|48000",
            "97 L16/16000/2|97|16000",
            "98 AMR-WB/16000|98|16000",
            "100 VP8/90000 |100|90000",
            "9 G722/8000|9|8000",
            "127 x/1|127|1"})
    void rtpmapGivesTheClockOfItsPayloadType(String rtpmap, int payloadType, int clockRate) {
        assertThat(RtpClockRates.fromRtpmaps(List.of(rtpmap)).clockRate(payloadType)).isEqualTo(clockRate);
    }

    @ParameterizedTest(name = "PT {0} -> {1} Hz")
    @CsvSource({
            "0, 8000", "3, 8000", "4, 8000", "5, 8000", "6, 16000", "7, 8000", "8, 8000", "9, 8000", "10, 44100",
            "11, 44100", "12, 8000", "13, 8000", "14, 90000", "15, 8000", "16, 11025", "17, 22050", "18, 8000",
            "25, 90000", "26, 90000", "28, 90000", "31, 90000", "32, 90000", "33, 90000", "34, 90000"})
    void staticPayloadTypesWithoutRtpmapFollowRfc3551(int payloadType, int clockRate) {
        assertThat(RtpClockRates.UNMAPPED.clockRate(payloadType)).isEqualTo(clockRate);
        assertThat(RtpClockRates.fromRtpmaps(List.of("96 opus/48000/2")).clockRate(payloadType)).isEqualTo(clockRate);
    }

    @ParameterizedTest
    @ValueSource(ints = {35, 72, 96, 101, 111, 127})
    void unmappedDynamicAndUnassignedPayloadTypesFallBackTo8000(int payloadType) {
        assertThat(RtpClockRates.UNMAPPED.clockRate(payloadType)).isEqualTo(RtpClockRates.FALLBACK_CLOCK_RATE)
                .isEqualTo(8000);
    }

    @Test
    void anRtpmapForAStaticPayloadTypeWins() {
        assertThat(RtpClockRates.fromRtpmaps(List.of("0 PCMU/16000")).clockRate(0)).isEqualTo(16000);
    }

    @ParameterizedTest(name = "ignored: ''{0}''")
    @ValueSource(strings = {
            "", " ", "96", "96 ", "96 opus", "96 opus/", "96 opus/abc", "96 opus/48000x", "96 opus/-48000",
            "96 opus/+48000", "96 opus/ 48000", "96 /48000", "96  /48000", "x opus/48000", "-1 opus/48000",
            "+96 opus/48000", "128 opus/48000", "4294967296 opus/48000", "96 opus/0", "96 opus/2147483648",
            "96 opus/99999999999999999999", "96opus/48000", "/48000", "96 opus//2", " / "})
    void malformedRtpmapIsIgnored(String rtpmap) {
        RtpClockRates rates = RtpClockRates.fromRtpmaps(List.of(rtpmap, "97 opus/48000/2"));

        for (int pt = 0; pt < 128; pt++) {
            int expected = pt == 97 ? 48000 : RtpClockRates.UNMAPPED.clockRate(pt);
            assertThat(rates.clockRate(pt)).as("PT %d", pt).isEqualTo(expected);
        }
    }

    @Test
    void theSendersRtpmapsComeFirstAndThePeersFillTheGaps() {
        RtpClockRates sender = RtpClockRates.fromRtpmaps(List.of("111 opus/48000/2", "101 telephone-event/48000"));
        RtpClockRates peer = RtpClockRates.fromRtpmaps(List.of("101 telephone-event/8000", "96 telephone-event/48000"));

        RtpClockRates merged = sender.orElse(peer);

        assertThat(merged.clockRate(111)).isEqualTo(48000);
        assertThat(merged.clockRate(101)).isEqualTo(48000);
        assertThat(merged.clockRate(96)).isEqualTo(48000);
        assertThat(merged.clockRate(0)).isEqualTo(8000);
        assertThat(merged.clockRate(100)).isEqualTo(8000);
    }
}
