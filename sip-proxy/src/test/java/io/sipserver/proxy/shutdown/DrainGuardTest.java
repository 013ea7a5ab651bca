package io.sipserver.proxy.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.testsupport.SipRequests;
import java.net.InetAddress;
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
        return SipRequests.request(method, toTag, "call-" + method);
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
