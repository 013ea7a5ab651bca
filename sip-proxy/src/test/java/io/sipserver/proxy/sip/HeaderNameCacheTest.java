package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderNameCacheTest {

    @Test
    void madeUpHeaderNamesDoNotGrowTheStackBeyondTheBound() throws Exception {
        // Holding the class keeps the housekeeping of servers other tests left running from trimming meanwhile.
        synchronized (HeaderNameCache.class) {
            // Each message carries a header name never seen before, as a scanner or fuzzer sends them.
            for (int i = 0; i <= HeaderNameCache.MAX_ENTRIES / 2; i++) {
                parse("X-Made-Up-" + i + ": 1");
            }
            assertThat(HeaderNameCache.size()).isGreaterThan(HeaderNameCache.MAX_ENTRIES);

            assertThat(HeaderNameCache.trim()).isGreaterThan(HeaderNameCache.MAX_ENTRIES);

            assertThat(HeaderNameCache.size()).isZero();
            SIPMessage after = parse("X-Made-Up-0: 2");
            assertThat(after.getHeader("x-made-up-0")).hasToString("X-Made-Up-0: 2\r\n");
            assertThat(after.getCallId().getCallId()).isEqualTo("c1@127.0.0.1");
            assertThat(HeaderNameCache.trim()).as("below the bound: left alone").isZero();
        }
    }

    private static SIPMessage parse(String extraHeader) throws Exception {
        String message = "OPTIONS sip:example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@example.test>;tag=1\r\n"
                + "To: <sip:example.test>\r\n"
                + "Call-ID: c1@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + extraHeader + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return SipMessageParser.INSTANCE.parseSIPMessage(message.getBytes(StandardCharsets.US_ASCII), true, false,
                null);
    }
}
