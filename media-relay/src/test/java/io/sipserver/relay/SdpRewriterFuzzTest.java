package io.sipserver.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any SDP offer or answer through the rewriter: it is refused with a reason (IllegalArgumentException), or the
 * result has the same lines, re-parses, keeps port 0 streams at port 0 and puts every other stream on the relay's
 * port. {@code verify} fuzzes it; {@code test} replays the inputs kept in SdpRewriterFuzzTestInputs.
 */
class SdpRewriterFuzzTest {

    private static final Pattern MEDIA_PORT = Pattern.compile("(?md)^m=[^ \\n]+ ([^ /\\n]+)");

    private final SdpRewriter rewriter = new SdpRewriter();

    @FuzzTest(maxDuration = "30s")
    void rewriteAnySdp(FuzzedDataProvider data) throws Exception {
        Side from = data.consumeBoolean() ? Side.A : Side.B;
        String relay = data.consumeBoolean() ? "203.0.113.10" : "2001:db8::10";
        String sdp = data.consumeRemainingAsString();
        FakeRelaySession session = new FakeRelaySession();
        String rewritten;
        try {
            rewritten = rewriter.rewrite(sdp, session, from, relay);
        } catch (IllegalArgumentException badSdp) {
            assertThat(badSdp.getMessage()).as("the reason given for refusing the SDP").isNotBlank();
            assertThat(session.streamCount()).as("streams touched by refused SDP").isZero();
            return;
        }
        assertThat(lineCount(rewritten)).as("lines of\n%s", sdp).isEqualTo(lineCount(sdp));
        List<String> before = mediaPorts(sdp);
        List<String> after = mediaPorts(rewritten);
        assertThat(after).as("m= ports of\n%s", rewritten).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            String expected = Integer.parseInt(before.get(i)) == 0 ? before.get(i)
                    : Integer.toString(session.fake(i).rtpPort(from.other()));
            assertThat(after.get(i)).as("port of m= line %d in\n%s", i + 1, rewritten).isEqualTo(expected);
        }
        rewriter.rewrite(rewritten, new FakeRelaySession(), from, relay);
    }

    /** Lines as the rewriter splits them: at LF only. */
    private static long lineCount(String sdp) {
        return sdp.chars().filter(c -> c == '\n').count();
    }

    /** The port field of each m= line (UNIX_LINES: only LF ends a line, as for the rewriter). */
    private static List<String> mediaPorts(String sdp) {
        Matcher m = MEDIA_PORT.matcher(sdp);
        return m.results().map(r -> r.group(1)).toList();
    }
}
