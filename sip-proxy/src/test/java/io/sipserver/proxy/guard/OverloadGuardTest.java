package io.sipserver.proxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import io.sipserver.proxy.sip.GuardVerdict;
import io.sipserver.proxy.testsupport.SipRequests;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OverloadGuardTest {

    private static final long MS = 1_000_000;

    private long now = 1_000 * MS;
    private long wait;
    private int queued = 64;
    private int queuedNew;
    private double donePerSecond = 1_000;
    private int transactions;
    private boolean admittedByReader;
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
        public int queuedNewWork() {
            return queuedNew;
        }

        @Override
        public double newWorkDonePerSecond() {
            return donePerSecond;
        }

        @Override
        public int serverTransactions() {
            return transactions;
        }

        @Override
        public boolean admittedUnparsed() {
            return admittedByReader;
        }

        @Override
        public boolean inProgress(SIPRequest request) {
            return "retransmitted".equals(request.getCallId().getCallId());
        }
    }, Duration.ofMillis(100), 64, 1000, Duration.ofSeconds(3), () -> now);

    @Test
    void passesEverythingWhileTheServerKeepsUp() throws Exception {
        wait = 100;
        transactions = 1000;
        assertThat(offer(8_000, 1_000)).as("admitted of 8,000 offered in 1 s").isEqualTo(8_000);
        assertThat(check("INVITE", null)).isSameAs(GuardVerdict.PASS);
        assertThat(check("REGISTER", null)).isSameAs(GuardVerdict.PASS);
    }

    @Test
    void whenBehindAdmitsNewCallsAndRegistrationsAtTheRateTheServerFinishesThemAndRefusesTheRest() throws Exception {
        wait = 101;
        queuedNew = 60;
        check("INVITE", null);
        assertThat(guard.limiting()).isTrue();
        assertRefused(check("INVITE", null));
        assertRefused(check("REGISTER", null));
        assertThat(offer(8_000, 1_000)).as("admitted of 8,000 offered in 1 s, 1,000 finished per second")
                .isBetween(900, 1_000);
    }

    @Test
    void aBacklogOfNewRequestsIsDrainedBelowHalfTheDelayBound() throws Exception {
        wait = 300;
        offer(10, 10);
        queuedNew = 100;
        offer(1_000, 250);
        // 1,000/s finished, 50 may wait (half of 100 ms): 50 too many, drained within 500 ms = 100/s fewer.
        assertThat(guard.admittedPerSecond()).isEqualTo(900);
        queuedNew = 2_000;
        offer(1_000, 250);
        assertThat(guard.admittedPerSecond()).as("never below half of what is finished").isEqualTo(500);
    }

    @Test
    void theRateGrowsWhileFewNewRequestsWaitAndLimitingEndsAfterASecondWithoutRefusals() throws Exception {
        wait = 300;
        offer(10, 10);
        assertThat(guard.admittedPerSecond()).as("what was finished").isEqualTo(1_000);
        offer(1_000, 250);
        assertThat(guard.admittedPerSecond()).as("no more while the delay stands above 100 ms").isEqualTo(1_000);
        wait = 20;
        offer(1_000, 250);
        assertThat(guard.limiting()).as("refused some in the last adjustment").isTrue();
        assertThat(guard.admittedPerSecond()).as("nothing waits: more than finished").isEqualTo(1_150);
        offer(1_000, 250);
        assertThat(guard.admittedPerSecond()).as("at most a quarter more than finished").isEqualTo(1_250);
        queuedNew = 100;
        offer(1_000, 250);
        assertThat(guard.admittedPerSecond()).as("too many wait").isEqualTo(900);
        queuedNew = 0;
        wait = 20;
        offer(100, 250);
        offer(100, 250);
        assertThat(guard.limiting()).as("one adjustment without refusals may be a lull").isTrue();
        offer(100, 250);
        offer(100, 250);
        offer(100, 250);
        assertThat(guard.limiting()).as("a second without refusals, with short delays").isFalse();
        assertThat(offer(8_000, 1_000)).isEqualTo(8_000);
    }

    @Test
    void whatTheUdpReaderAdmittedIsNotCountedAgainstTheRateTwice() throws Exception {
        wait = 300;
        offer(10, 10);
        now += 100 * MS;
        admittedByReader = true;
        for (int i = 0; i < 100; i++) {
            assertThat(check("INVITE", null)).isSameAs(GuardVerdict.PASS);
        }
        admittedByReader = false;
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            if (check("INVITE", null).passes()) {
                passed++;
            }
        }
        long spacing = (long) (1e9 / guard.admittedPerSecond());
        assertThat(passed).as("the burst after 100 ms, untouched").isEqualTo(1 + OverloadGuard.BURST_NANOS / spacing);
    }

    @Test
    void aQuietSpellWithoutNewRequestsEndsLimiting() throws Exception {
        wait = 300;
        offer(1_000, 250);
        donePerSecond = 0;
        offer(1_000, 1_500);
        assertThat(guard.admittedPerSecond()).as("nothing finished for 1.5 s").isEqualTo(20);
        now += 600 * MS;
        wait = 0;
        queued = 0;
        queuedNew = 0;
        assertThat(offer(2, 1)).as("a REGISTER and its retry with credentials, 0.5 ms apart").isEqualTo(2);
        assertThat(guard.limiting()).isFalse();
    }

    @Test
    void aFewMessagesThatWaitedLongAreAPauseNotOverload() throws Exception {
        wait = 5_000;
        queued = 63;
        assertThat(offer(8_000, 1_000)).isEqualTo(8_000);
    }

    @Test
    void onceLimitingItGoesOnUntilTheDelayIsShortAgainHoweverShortTheQueue() throws Exception {
        wait = 300;
        offer(10, 10);
        queued = 0;
        assertThat(offer(8_000, 1_000)).isLessThan(8_000);
        assertThat(guard.limiting()).isTrue();
    }

    @Test
    void nothingFinishedLatelyStillAdmitsSomeSoThatTheMeasureComesBack() throws Exception {
        wait = 300;
        donePerSecond = 0;
        offer(10, 10);
        assertThat(offer(8_000, 1_000)).isBetween(15, 40);
    }

    @Test
    void refusesNewWorkWhenTheTransactionTableIsFull() throws Exception {
        transactions = 1001;
        assertRefused(check("INVITE", null));
    }

    @Test
    void letsRequestsOfCallsInProgressThrough() throws Exception {
        wait = 10_000;
        transactions = 1_000_000;
        for (String method : new String[] {"ACK", "BYE", "CANCEL", "OPTIONS"}) {
            assertThat(check(method, null)).isSameAs(GuardVerdict.PASS);
        }
        assertThat(check("INVITE", "callee-tag"))
                .as("re-INVITE").isSameAs(GuardVerdict.PASS);
    }

    @Test
    void aRetransmissionOfAnInviteBeingRoutedIsNotRefused() throws Exception {
        wait = 10_000;
        queued = 10_000;
        offer(10, 10);
        SIPRequest retransmission = request("INVITE", null);
        retransmission.getCallId().setCallId("retransmitted");
        assertThat(guard.check(retransmission, InetAddress.getLoopbackAddress())).isSameAs(GuardVerdict.PASS);
    }

    /** Offers {@code count} new requests evenly over {@code millis}; returns how many were admitted. */
    private int offer(int count, long millis) {
        int admitted = 0;
        long step = millis * MS / count;
        for (int i = 0; i < count; i++) {
            now += step;
            if (guard.newWorkVerdict().passes()) {
                admitted++;
            }
        }
        return admitted;
    }

    private GuardVerdict check(String method, String toTag) throws Exception {
        return guard.check(request(method, toTag), InetAddress.getLoopbackAddress());
    }

    private static void assertRefused(GuardVerdict verdict) {
        assertThat(verdict.status()).isEqualTo(503);
        assertThat(verdict.retryAfterSeconds()).isEqualTo(3);
    }

    private static SIPRequest request(String method, String toTag) throws Exception {
        return SipRequests.request(method, toTag, "c1");
    }
}
