package io.sipserver.proxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.testsupport.SipRequests;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OverloadGuardTest {

    private long wait;
    private int queued = 64;
    private int transactions;
    private final OverloadGuard guard = new OverloadGuard(new OverloadGuard.Load() {
        @Override
        public long delayMillis() {
            return wait;
        }

        @Override
        public int queuedMessages() {
            return queued;
        }

        @Override
        public int serverTransactions() {
            return transactions;
        }

        @Override
        public boolean inProgress(SIPRequest request) {
            return "retransmitted".equals(request.getCallId().getCallId());
        }
    }, Duration.ofMillis(100), 64, 1000, Duration.ofSeconds(3));

    @Test
    void passesEverythingWhileTheServerKeepsUp() throws Exception {
        wait = 100;
        transactions = 1000;
        assertThat(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress())).isSameAs(GuardVerdict.PASS);
        assertThat(guard.check(request("REGISTER", null), InetAddress.getLoopbackAddress())).isSameAs(GuardVerdict.PASS);
    }

    @Test
    void refusesNewCallsAndRegistrationsWhenMessagesWaitTooLong() throws Exception {
        wait = 101;
        assertRefused(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress()));
        assertRefused(guard.check(request("REGISTER", null), InetAddress.getLoopbackAddress()));
    }

    @Test
    void aFewMessagesThatWaitedLongAreAPauseNotOverload() throws Exception {
        wait = 5_000;
        queued = 63;
        assertThat(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress())).isSameAs(GuardVerdict.PASS);
    }

    @Test
    void onceRefusingItGoesOnUntilTheDelayIsShortAgainHoweverShortTheQueue() throws Exception {
        wait = 300;
        assertRefused(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress()));
        queued = 0;
        assertRefused(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress()));
        wait = 100;
        assertThat(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress())).isSameAs(GuardVerdict.PASS);
        wait = 300;
        assertThat(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress()))
                .as("a long delay with a short queue again").isSameAs(GuardVerdict.PASS);
    }

    @Test
    void refusesNewWorkWhenTheTransactionTableIsFull() throws Exception {
        transactions = 1001;
        assertRefused(guard.check(request("INVITE", null), InetAddress.getLoopbackAddress()));
    }

    @Test
    void letsRequestsOfCallsInProgressThrough() throws Exception {
        wait = 10_000;
        transactions = 1_000_000;
        for (String method : new String[] {"ACK", "BYE", "CANCEL", "OPTIONS"}) {
            assertThat(guard.check(request(method, null), InetAddress.getLoopbackAddress())).isSameAs(GuardVerdict.PASS);
        }
        assertThat(guard.check(request("INVITE", "callee-tag"), InetAddress.getLoopbackAddress()))
                .as("re-INVITE").isSameAs(GuardVerdict.PASS);
    }

    @Test
    void aRetransmissionOfAnInviteBeingRoutedIsNotRefused() throws Exception {
        wait = 10_000;
        queued = 10_000;
        SIPRequest retransmission = request("INVITE", null);
        retransmission.getCallId().setCallId("retransmitted");
        assertThat(guard.check(retransmission, InetAddress.getLoopbackAddress())).isSameAs(GuardVerdict.PASS);
    }

    private static void assertRefused(GuardVerdict verdict) {
        assertThat(verdict.status()).isEqualTo(503);
        assertThat(verdict.retryAfterSeconds()).isEqualTo(3);
    }

    private static SIPRequest request(String method, String toTag) throws Exception {
        return SipRequests.request(method, toTag, "c1");
    }
}
