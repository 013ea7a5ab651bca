package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import javax.sip.SipFactory;
import org.junit.jupiter.api.Test;

/** The Date header of the server's responses: RFC 1123 time in GMT, to the second, for the instant given. */
class SipMessagesDateTest {

    @Test
    void theDateHeaderNamesTheSecondOfTheInstantGiven() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        SipMessages sip = new SipMessages(factory.createMessageFactory(), factory.createHeaderFactory(),
                factory.createAddressFactory(), new LocalAddresses("127.0.0.1", 5060, "example.test",
                        Set.of("127.0.0.1")), null, () -> SipTraffic.NONE);

        String first = sip.date(Instant.parse("2026-11-28T03:04:05.100Z")).toString();
        String sameSecond = sip.date(Instant.parse("2026-11-28T03:04:05.900Z")).toString();
        String nextSecond = sip.date(Instant.parse("2026-11-28T03:04:06Z")).toString();
        String dayBefore = sip.date(Instant.parse("2026-11-27T23:59:59Z")).toString();

        assertThat(first).isEqualToIgnoringNewLines("Date: Sat, 28 Nov 2026 03:04:05 GMT");
        assertThat(sameSecond).isEqualTo(first);
        assertThat(nextSecond).isEqualToIgnoringNewLines("Date: Sat, 28 Nov 2026 03:04:06 GMT");
        assertThat(dayBefore).isEqualToIgnoringNewLines("Date: Fri, 27 Nov 2026 23:59:59 GMT");
        assertThat(SipDates.text(Instant.parse("2026-11-28T03:04:05.100Z"))).as("the unparsed path's Date")
                .isEqualTo("Sat, 28 Nov 2026 03:04:05 GMT");
    }
}
