package io.sipserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sipserver.config.AdmissionProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BandwidthModelTest {

    private static final String HEADER = """
            v=0
            o=alice 2890844526 2890844526 IN IP4 198.51.100.7
            s=-
            c=IN IP4 198.51.100.7
            t=0 0
            """;

    private final BandwidthModel model = new BandwidthModel(AdmissionProperties.defaults());

    private static String sdp(String media) {
        return HEADER + media;
    }

    @Test
    void g711At20msCosts80PerDirection() {
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\n"))).isCloseTo(80, within(1e-9));
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 8\na=rtpmap:8 PCMA/8000\n")))
                .isCloseTo(80, within(1e-9));
    }

    @Test
    void g729Costs24AndG722Costs80() {
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 18\na=rtpmap:18 G729/8000\na=fmtp:18 annexb=no\n")))
                .isCloseTo(24, within(1e-9));
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 9\na=rtpmap:9 G722/8000\n")))
                .isCloseTo(80, within(1e-9));
    }

    @Test
    void opusUsesMaxAverageBitrateElseTheConfiguredDefault() {
        String withBitrate = sdp("""
                m=audio 49170 RTP/AVP 111
                a=rtpmap:111 opus/48000/2
                a=fmtp:111 minptime=10; useinbandfec=1; maxaveragebitrate=20000
                """);
        String without = sdp("m=audio 49170 RTP/AVP 111\na=rtpmap:111 opus/48000/2\na=fmtp:111 useinbandfec=1\n");
        assertThat(model.offerKbps(withBitrate)).isCloseTo(20 + 16, within(1e-9));
        assertThat(model.offerKbps(without)).isCloseTo(32 + 16, within(1e-9));
    }

    @Test
    void ptime30HasFewerPacketsSoLessOverhead() {
        double kbps = model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\na=ptime:30\n"));
        assertThat(kbps).isCloseTo(64 + 40 * 8 * (1000 / 30.0) / 1000, within(1e-9));
        assertThat(kbps).isCloseTo(74.667, within(0.001));
    }

    @Test
    void offerReservesTheMostExpensiveCodecAndAnswerTheFirst() {
        String offer = sdp("""
                m=audio 49170 RTP/AVP 18 0 101
                a=rtpmap:18 G729/8000
                a=rtpmap:0 PCMU/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-16
                """);
        String answer = sdp("m=audio 3456 RTP/AVP 18 101\na=rtpmap:18 G729/8000\na=rtpmap:101 telephone-event/8000\n");
        assertThat(model.offerKbps(offer)).isCloseTo(80, within(1e-9));
        assertThat(model.answerKbps(answer)).isCloseTo(24, within(1e-9));
        assertThat(model.answerKbps(offer)).as("first codec of the m-line").isCloseTo(24, within(1e-9));
    }

    @Test
    void telephoneEventAndComfortNoiseAreNotCodecs() {
        String offer = sdp("""
                m=audio 49170 RTP/AVP 101 13 18
                a=rtpmap:101 telephone-event/8000
                """);
        assertThat(model.offerKbps(offer)).isCloseTo(24, within(1e-9));
        assertThat(model.answerKbps(offer)).as("first codec after DTMF and CN").isCloseTo(24, within(1e-9));
    }

    @Test
    void videoTakesBandwidthLinesOrTheDefault() {
        String audio = "m=audio 49170 RTP/AVP 0\n";
        assertThat(model.offerKbps(sdp(audio + "m=video 51372 RTP/AVP 96\na=rtpmap:96 H264/90000\nb=AS:512\n")))
                .isCloseTo(80 + 512, within(1e-9));
        assertThat(model.offerKbps(sdp(audio + """
                m=video 51372 RTP/AVP 96
                b=TIAS:500000
                a=maxprate:100
                a=rtpmap:96 H264/90000
                """))).as("TIAS + 40 B headers at 100 packets/s").isCloseTo(80 + 500 + 32, within(1e-9));
        assertThat(model.offerKbps(sdp(audio + "m=video 51372 RTP/AVP 96\na=rtpmap:96 VP8/90000\n")))
                .as("configured default").isCloseTo(80 + 384, within(1e-9));
    }

    @Test
    void bandwidthLinesCapAudio() {
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\nb=AS:70\n"))).isCloseTo(70, within(1e-9));
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\nb=TIAS:48000\n")))
                .as("TIAS 48 + 16 headers at 50 packets/s").isCloseTo(64, within(1e-9));
        // pjsua's lines: the codec's own 80 is within both caps
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\nb=AS:84\nb=TIAS:64000\n")))
                .isCloseTo(80, within(1e-9));
        assertThat(model.offerKbps(HEADER.replace("t=0 0\n", "b=AS:100\nt=0 0\n")
                + "m=audio 49170 RTP/AVP 0\nm=audio 49172 RTP/AVP 0\n")).as("session b=AS caps the sum")
                .isCloseTo(100, within(1e-9));
    }

    @Test
    void ipv6HeadersAreLarger() {
        String sdp = HEADER.replace("c=IN IP4 198.51.100.7", "c=IN IP6 2001:db8::7") + "m=audio 49170 RTP/AVP 0\n";
        assertThat(model.offerKbps(sdp)).isCloseTo(64 + 60 * 8 * 50 / 1000.0, within(1e-9));
        String mediaLevel = sdp("m=audio 49170 RTP/AVP 0\nc=IN IP6 2001:db8::7\n");
        assertThat(model.offerKbps(mediaLevel)).isCloseTo(88, within(1e-9));
    }

    @Test
    void disabledStreamsCostNothingAndHeldOnesStillCount() {
        assertThat(model.offerKbps(sdp("m=audio 0 RTP/AVP 0\nm=video 0 RTP/AVP 96\n"))).isZero();
        assertThat(model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\na=inactive\n"))).isCloseTo(80, within(1e-9));
        assertThat(model.offerKbps(HEADER)).as("no media at all").isZero();
    }

    @Test
    void crlfLineEndingsAndUnknownCodecs() {
        String sdp = sdp("m=audio 49170 RTP/AVP 96\na=rtpmap:96 SPEEX/16000\n").replace("\n", "\r\n");
        assertThat(model.offerKbps(sdp)).as("unknown codec: configured 64").isCloseTo(80, within(1e-9));
    }

    @Test
    void codecTableAndHeadersAreConfiguration() {
        AdmissionProperties properties = new AdmissionProperties(true, 20, 20, 40, 8, 12,
                Map.of("pcmu", 56.0, "AMR-WB", 23.85), 32, 384, 100);
        BandwidthModel configured = new BandwidthModel(properties);
        assertThat(configured.offerKbps(sdp("m=audio 49170 RTP/AVP 0\n"))).isCloseTo(72, within(1e-9));
        assertThat(configured.offerKbps(sdp("m=audio 49170 RTP/AVP 97\na=rtpmap:97 AMR-WB/16000/1\n")))
                .isCloseTo(39.85, within(1e-9));
        assertThat(configured.offerKbps(sdp("m=audio 49170 RTP/AVP 18\n")))
                .as("G729 is not in this table: unknown-codec rate").isCloseTo(116, within(1e-9));
    }

    @Test
    void badSdpIsRefusedWithTheReason() {
        assertThatThrownBy(() -> model.offerKbps("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> model.offerKbps("o=x\nv=0\n")).hasMessageContaining("must start with 'v=0'");
        assertThatThrownBy(() -> model.offerKbps(sdp("m=audio 49170 RTP/AVP\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SDP line 6");
        assertThatThrownBy(() -> model.offerKbps(sdp("m=audio seventy RTP/AVP 0\n")))
                .hasMessageContaining("needs a port number");
        assertThatThrownBy(() -> model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\nb=AS:lots\n")))
                .hasMessageContaining("b=AS").hasMessageContaining("SDP line 7");
        assertThatThrownBy(() -> model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\na=ptime:0\n")))
                .hasMessageContaining("ptime");
        assertThatThrownBy(() -> model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\nthis is not sdp\n")))
                .hasMessageContaining("is not <type>=<value>");
        assertThatThrownBy(() -> model.offerKbps(sdp("m=audio 49170 RTP/AVP 0\nc=IN IPX 1.2.3.4\n")))
                .hasMessageContaining("address type");
        assertThatThrownBy(() -> model.offerKbps(sdp(
                "m=audio 49170 RTP/AVP 111\na=rtpmap:111 opus/48000/2\na=fmtp:111 maxaveragebitrate=fast\n")))
                .hasMessageContaining("maxaveragebitrate");
    }
}
