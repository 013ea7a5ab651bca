package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import java.net.DatagramPacket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UdpReceiveQueueTest {

    private long now = 1_000_000;
    private final UdpReceiveQueue queue = new UdpReceiveQueue(100, 16384, () -> now);

    @Test
    void dropsArrivalsBeyondItsCapacityAndCountsThem() {
        for (int i = 0; i < 130; i++) {
            if (i % 2 == 0) {
                queue.offer(datagramThatWaited(0));
            } else {
                queue.offerNewWork(datagramThatWaited(0));
            }
        }
        assertThat(queue).hasSize(100);
        assertThat(queue.dropped()).isEqualTo(30);
    }

    @Test
    void workInProgressIsTakenBeforeNewWorkThatArrivedEarlier() throws InterruptedException {
        DatagramQueuedMessageDispatch invite = datagramThatWaited(30);
        DatagramQueuedMessageDispatch ack = datagramThatWaited(20);
        DatagramQueuedMessageDispatch bye = datagramThatWaited(10);
        queue.offerNewWork(invite);
        queue.offer(ack);
        queue.offer(bye);

        assertThat(queue.take()).isSameAs(ack);
        assertThat(queue.servingNewWork()).isFalse();
        assertThat(queue.poll(0, TimeUnit.MILLISECONDS)).isSameAs(bye);
        assertThat(queue.take()).isSameAs(invite);
        assertThat(queue.servingNewWork()).as("the invite, from the second lane").isTrue();
        assertThat(queue).isEmpty();
    }

    @Test
    void onlyNewWorkIsMeasured() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            serve(200);
            queue.offer(datagramThatWaited(1));
            queue.take();
        }
        nextInterval();
        assertThat(queue.delayMillis()).as("new work waited 200 ms, the rest 1 ms").isEqualTo(200);
    }

    @Test
    void aBacklogThatDrainsWithinTheIntervalIsNotAStandingDelay() throws InterruptedException {
        // A 300 ms collection pause: what piled up during it is done 300 ms down to 0 ms after arrival.
        for (int waited = 300; waited >= 0; waited -= 10) {
            serve(waited);
        }
        nextInterval();
        assertThat(queue.delayMillis()).isZero();
    }

    @Test
    void aServerThatDelaysEveryDatagramHasAStandingDelayUntilItCatchesUp() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            serve(250 + i % 50);
        }
        nextInterval();
        assertThat(queue.delayMillis()).isEqualTo(250);

        for (int i = 0; i < 100; i++) {
            serve(i % 2 == 0 ? 400 : 3);
        }
        nextInterval();
        assertThat(queue.delayMillis()).isEqualTo(3);
    }

    @Test
    void anIdleSpellForgetsTheIntervalBeforeIt() throws InterruptedException {
        serve(500);
        nextInterval();
        assertThat(queue.delayMillis()).isEqualTo(500);

        now += 10 * UdpReceiveQueue.INTERVAL_MILLIS;
        serve(2);
        assertThat(queue.delayMillis()).isEqualTo(2);
    }

    @Test
    void aServerWithNothingToDoIsNotBehindHoweverSlowItsLastDatagrams() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            serve(500);
        }
        nextInterval();
        assertThat(queue.delayMillis()).isEqualTo(500);

        now += 2 * UdpReceiveQueue.INTERVAL_MILLIS;
        queue.offerNewWork(datagramThatWaited(0));
        assertThat(queue.delayMillis()).as("a request waits").isEqualTo(500);
        queue.clear();
        assertThat(queue.delayMillis()).isZero();
    }

    @Test
    void countsTheNewRequestsWaitingAndHowManyWereFinishedPerSecond() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            queue.offerNewWork(datagramThatWaited(0));
        }
        queue.offer(datagramThatWaited(0));
        assertThat(queue.newWorkQueued()).isEqualTo(3);
        queue.poll();
        queue.poll();
        assertThat(queue.newWorkQueued()).isEqualTo(2);
        queue.clear();
        assertThat(queue.newWorkQueued()).isZero();

        nextInterval();
        for (int i = 0; i < 49; i++) {
            serve(1);
        }
        nextInterval();
        assertThat(queue.newWorkDonePerSecond()).as("50 in 250 ms").isEqualTo(200);
        now += 2 * UdpReceiveQueue.INTERVAL_MILLIS;
        assertThat(queue.newWorkDonePerSecond()).as("none finished since").isZero();
    }

    /** A worker takes a new request that arrived {@code delayMillis} ago, is done with it at once and comes back. */
    private void serve(long delayMillis) throws InterruptedException {
        queue.offerNewWork(datagramThatWaited(delayMillis));
        queue.take();
        assertThat(queue.poll(0, TimeUnit.MILLISECONDS)).isNull();
    }

    /** Moves past the end of the interval under way; a slow datagram done then closes it and opens the next. */
    private void nextInterval() throws InterruptedException {
        now += UdpReceiveQueue.INTERVAL_MILLIS;
        serve(UdpReceiveQueue.INTERVAL_MILLIS);
    }

    private DatagramQueuedMessageDispatch datagramThatWaited(long millis) {
        return new DatagramQueuedMessageDispatch(new DatagramPacket(new byte[0], 0), now - millis);
    }
}
