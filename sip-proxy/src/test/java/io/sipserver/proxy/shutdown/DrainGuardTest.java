package io.sipserver.proxy.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipserver.proxy.sip.GuardVerdict;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DrainGuardTest {

    private static final InetAddress PHONE = InetAddress.getLoopbackAddress();

    private final Set<String> transactions = new HashSet<>();
    private final DrainGuard guard = new DrainGuard(17, r -> transactions.contains(r.getCallId().getCallId()));

    private static SIPRequest request(String method, String toTag) throws Exception {
        String text = method + " sip:bob@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.test>;tag=a1\r\n"
                + "To: <sip:bob@example.test>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: call-" + method + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVITE", "REGISTER", "OPTIONS", "SUBSCRIBE", "MESSAGE"})
    void beforeTheDrainEverythingPassesDuringItNewRequestsGet503WithRetryAfter(String method) throws Exception {
        assertThat(guard.check(request(method, null), PHONE).passes()).isTrue();
        guard.startDraining();
        GuardVerdict verdict = guard.check(request(method, null), PHONE);
        assertThat(verdict.status()).isEqualTo(503);
        assertThat(verdict.retryAfterSeconds()).isEqualTo(17);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYE", "INVITE", "UPDATE", "INFO", "OPTIONS"})
    void inDialogRequestsPassDuringTheDrain(String method) throws Exception {
        guard.startDraining();
        assertThat(guard.check(request(method, "b2"), PHONE).passes()).isTrue();
    }

    @Test
    void ackCancelAndRetransmissionsOfEarlierRequestsPassDuringTheDrain() throws Exception {
        guard.startDraining();
        assertThat(guard.check(request("ACK", null), PHONE).passes()).isTrue();
        assertThat(guard.check(request("CANCEL", null), PHONE).passes()).isTrue();
        transactions.add("call-INVITE");
        assertThat(guard.check(request("INVITE", null), PHONE).passes()).as("retransmission").isTrue();
    }
}
