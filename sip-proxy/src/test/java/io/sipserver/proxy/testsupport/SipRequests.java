package io.sipserver.proxy.testsupport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** Parsed requests for tests of code that looks at a request without a network. */
public final class SipRequests {

    private SipRequests() {
    }

    /** A minimal request from alice to bob; {@code toTag} null for one outside a dialog. */
    public static SIPRequest request(String method, String toTag, String callId) throws ParseException {
        String text = method + " sip:bob@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.test>;tag=a1\r\n"
                + "To: <sip:bob@example.test>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }
}
