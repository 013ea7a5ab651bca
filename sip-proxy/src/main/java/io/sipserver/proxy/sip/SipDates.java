package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.SIPDate;
import java.time.Instant;

/**
 * RFC 3261's Date (section 20.17) of an instant, to the second, as JAIN-SIP encodes it; the responses of one second
 * share it. Building one costs a Calendar and a time-zone lookup by name (JAIN-SIP's "GMT:0"), which was 2 % of a
 * registration's CPU samples when every response built its own.
 */
final class SipDates {

    /** One second's date and its text; never changed once built, so headers share it. */
    private record OfSecond(long epochSecond, SIPDate date, String text) {
    }

    private static volatile OfSecond last = new OfSecond(Long.MIN_VALUE, null, null);

    private SipDates() {
    }

    /** The date of {@code now}'s second, for a Date header. */
    static SIPDate date(Instant now) {
        return of(now).date();
    }

    /** The date of {@code now}'s second as a Date header's value, e.g. {@code Sat, 28 Nov 2026 03:04:05 GMT}. */
    static String text(Instant now) {
        return of(now).text();
    }

    private static OfSecond of(Instant now) {
        long second = now.getEpochSecond();
        OfSecond current = last;
        if (current.epochSecond() != second) {
            SIPDate date = new SIPDate(second * 1000);
            current = new OfSecond(second, date, date.encode(new StringBuilder()).toString());
            last = current;
        }
        return current;
    }
}
