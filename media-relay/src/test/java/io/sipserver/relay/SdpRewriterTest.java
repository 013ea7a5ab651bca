package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdpRewriterTest {

    private static final String RELAY = "203.0.113.10";

    private final SdpRewriter rewriter = new SdpRewriter();
    private final FakeRelaySession session = new FakeRelaySession();

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
            "audio-offer, A, 203.0.113.10",
            "audio-answer, B, 203.0.113.10",
            "audio-video, A, 203.0.113.10",
            "rtcp-port, A, 203.0.113.10",
            "rtcp-address, A, 203.0.113.10",
            "rejected-video, B, 203.0.113.10",
            "media-level-c, A, 203.0.113.10",
            "hold, A, 203.0.113.10",
            "crlf, A, 203.0.113.10",
            "ipv6-relay, A, 2001:db8::10"})
    void rewritesAsTheGoldenFileSays(String name, Side from, String relayAddress) throws Exception {
        String rewritten = rewriter.rewrite(sdp(name + ".in"), session, from, relayAddress);

        assertThat(rewritten).isEqualTo(sdp(name + ".out"));
    }

    @Test
    void offerSetsTheCallersAddressAsSideAPeer() throws Exception {
        rewriter.rewrite(sdp("audio-offer.in"), session, Side.A, RELAY);

        assertThat(session.fake(0).rtpPeers).containsExactly(
                Map.entry(Side.A, new InetSocketAddress("192.0.2.10", 49170)));
        assertThat(session.fake(0).rtcpPeers).isEmpty();
    }

    @Test
    void answerSetsTheCalleesAddressAsSideBPeer() throws Exception {
        rewriter.rewrite(sdp("audio-answer.in"), session, Side.B, RELAY);

        assertThat(session.fake(0).rtpPeers.get(Side.B)).isEqualTo(new InetSocketAddress("198.51.100.20", 3456));
    }

    @Test
    void eachMediaLineGetsItsOwnStreamAndPeer() throws Exception {
        rewriter.rewrite(sdp("media-level-c.in"), session, Side.A, RELAY);

        assertThat(session.fake(0).rtpPeers.get(Side.A)).isEqualTo(new InetSocketAddress("192.0.2.11", 49170));
        assertThat(session.fake(1).rtpPeers.get(Side.A)).isEqualTo(new InetSocketAddress("192.0.2.12", 51372));
    }

    @Test
    void rtcpAttributeGivesTheRtcpPeer() throws Exception {
        rewriter.rewrite(sdp("rtcp-port.in"), session, Side.A, RELAY);
        assertThat(session.fake(0).rtcpPeers.get(Side.A)).isEqualTo(new InetSocketAddress("192.0.2.10", 53021));

        rewriter.rewrite(sdp("rtcp-address.in"), session, Side.A, RELAY);
        assertThat(session.fake(0).rtcpPeers.get(Side.A)).isEqualTo(new InetSocketAddress("192.0.2.99", 53021));
    }

    @Test
    void rejectedMediaLineGetsNoStream() throws Exception {
        rewriter.rewrite(sdp("rejected-video.in"), session, Side.B, RELAY);

        assertThat(session.streamCount()).isEqualTo(1);
    }

    @Test
    void eachMediaLineHandsItsRtpmapClocksToItsStreamForTheSendingSide() throws Exception {
        rewriter.rewrite(sdp("audio-video.in"), session, Side.A, RELAY);

        RtpClockRates audio = session.fake(0).clockRates.get(Side.A);
        RtpClockRates video = session.fake(1).clockRates.get(Side.A);
        assertThat(audio.clockRate(0)).isEqualTo(8000);
        assertThat(audio.clockRate(96)).as("H264 belongs to the video m-line").isEqualTo(8000);
        assertThat(video.clockRate(96)).isEqualTo(90000);
        assertThat(session.fake(0).clockRates).doesNotContainKey(Side.B);
    }

    @Test
    void answerAndReofferReplaceTheClocksOfTheirSide() throws Exception {
        String opus = "v=0\nc=IN IP4 192.0.2.1\nm=audio 4000 RTP/AVP 111 101\na=rtpmap:111 opus/48000/2\n"
                + "a=rtpmap:101 telephone-event/48000\n";
        rewriter.rewrite(opus, session, Side.B, RELAY);
        assertThat(session.fake(0).clockRates.get(Side.B).clockRate(111)).isEqualTo(48000);
        assertThat(session.fake(0).clockRates.get(Side.B).clockRate(101)).isEqualTo(48000);

        rewriter.rewrite(opus.replace("opus/48000/2", "L16/16000"), session, Side.B, RELAY);
        assertThat(session.fake(0).clockRates.get(Side.B).clockRate(111)).isEqualTo(16000);
    }

    @Test
    void sessionLevelRtpmapIsNotAnyStreams() throws Exception {
        rewriter.rewrite("v=0\na=rtpmap:96 opus/48000\nc=IN IP4 192.0.2.1\nm=audio 4000 RTP/AVP 96\n", session,
                Side.A, RELAY);

        assertThat(session.fake(0).clockRates.get(Side.A).clockRate(96)).isEqualTo(8000);
    }

    @Test
    void malformedRtpmapIsPassedOnUntouchedAndIgnored() throws Exception {
        String sdp = "v=0\nc=IN IP4 192.0.2.1\nm=audio 4000 RTP/AVP 96 97\na=rtpmap:96 opus/fast\n"
                + "a=rtpmap:\na=rtpmap:97 L16/16000\n";

        String rewritten = rewriter.rewrite(sdp, session, Side.A, RELAY);

        assertThat(rewritten).isEqualTo(sdp.replace("192.0.2.1", RELAY).replace("4000", "30000"));
        assertThat(session.fake(0).clockRates.get(Side.A).clockRate(96)).isEqualTo(8000);
        assertThat(session.fake(0).clockRates.get(Side.A).clockRate(97)).isEqualTo(16000);
    }

    @Test
    void holdAddressSetsNoPeer() throws Exception {
        rewriter.rewrite(sdp("hold.in"), session, Side.A, RELAY);

        assertThat(session.fake(0).rtpPeers).isEmpty();
    }

    @Test
    void hostNameInConnectionIsRewrittenButSetsNoPeer() throws Exception {
        String sdp = "v=0\nc=IN IP4 phone.example.com\nm=audio 49170 RTP/AVP 0\n";

        String rewritten = rewriter.rewrite(sdp, session, Side.A, RELAY);

        assertThat(rewritten).isEqualTo("v=0\nc=IN IP4 203.0.113.10\nm=audio 30000 RTP/AVP 0\n");
        assertThat(session.fake(0).rtpPeers).isEmpty();
    }

    @Test
    void lastLineWithoutLineEndStaysWithout() throws Exception {
        String rewritten = rewriter.rewrite("v=0\nc=IN IP4 192.0.2.1\nm=audio 4000 RTP/AVP 0", session, Side.A, RELAY);

        assertThat(rewritten).isEqualTo("v=0\nc=IN IP4 203.0.113.10\nm=audio 30000 RTP/AVP 0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "m=audio RTP/AVP 0|malformed m= line 3",
            "m=audio 70000 RTP/AVP 0|bad port '70000' on line 3",
            "m=audio x RTP/AVP 0|bad port 'x' on line 3",
            "m=audio -1 RTP/AVP 0|bad port '-1' on line 3"})
    void malformedMediaLineIsRefusedWithTheReason(String mediaLine, String reason) {
        String sdp = "v=0\nc=IN IP4 192.0.2.1\n" + mediaLine + "\n";

        assertThatThrownBy(() -> rewriter.rewrite(sdp, session, Side.A, RELAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void malformedConnectionLineIsRefused() {
        assertThatThrownBy(() -> rewriter.rewrite("v=0\nc=IN IP4\nm=audio 4000 RTP/AVP 0\n", session, Side.A, RELAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed c= line 2");
    }

    @Test
    void mediaWithoutAnyConnectionIsRefused() {
        assertThatThrownBy(() -> rewriter.rewrite("v=0\nm=audio 4000 RTP/AVP 0\n", session, Side.A, RELAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no c= line");
    }

    @Test
    void aLaterMediaLineWithoutConnectionIsRefusedBeforeTheFirstStreamIsTouched() {
        String sdp = "v=0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 192.0.2.1\nm=video 4002 RTP/AVP 31\n";

        assertThatThrownBy(() -> rewriter.rewrite(sdp, session, Side.A, RELAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m= line 2 has no c= line");
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void malformedRtcpAttributeIsRefusedBeforeAnyStreamIsTouched() {
        String sdp = "v=0\nc=IN IP4 192.0.2.1\nm=audio 4000 RTP/AVP 0\na=rtcp:abc\n";

        assertThatThrownBy(() -> rewriter.rewrite(sdp, session, Side.A, RELAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad port 'abc' on line 4");
        assertThat(session.streamCount()).isZero();
    }

    private static String sdp(String name) throws IOException {
        try (InputStream in = SdpRewriterTest.class.getResourceAsStream("/sdp/" + name + ".sdp")) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
