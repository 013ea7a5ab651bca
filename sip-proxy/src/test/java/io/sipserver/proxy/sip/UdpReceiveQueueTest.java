package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import java.net.DatagramPacket;
import org.junit.jupiter.api.Test;

class UdpReceiveQueueTest {

    private final UdpReceiveQueue queue = new UdpReceiveQueue(100, 16384, null);

    @Test
    void dropsArrivalsBeyondItsCapacityAndCountsThem() {
        for (int i = 0; i < 130; i++) {
            queue.offer(datagramThatWaited(0));
        }
        assertThat(queue).hasSize(100);
        assertThat(queue.dropped()).isEqualTo(30);
    }

    @Test
    void aShortStallDoesNotLookLikeAServerThatStaysBehind() throws InterruptedException {
        // A 200 ms stall: the datagrams that piled up during it were done 200 ms down to nothing after arrival.
        for (int waited = 200; waited >= 0; waited -= 20) {
            take(waited);
        }
        assertThat(queue.delayMillis()).isLessThan(100);

        for (int i = 0; i < 100; i++) {
            take(200);
        }
        assertThat(queue.delayMillis()).isGreaterThan(100);

        for (int i = 0; i < 200; i++) {
            take(0);
        }
        assertThat(queue.delayMillis()).isLessThan(5);
    }

    /**
     * A worker takes a datagram that arrived {@code delayMillis} ago and processes it at once; its delay counts
     * when the worker comes back for the next one.
     */
    private void take(long delayMillis) throws InterruptedException {
        queue.offer(datagramThatWaited(delayMillis));
        queue.take();
    }

    private static DatagramQueuedMessageDispatch datagramThatWaited(long millis) {
        return new DatagramQueuedMessageDispatch(new DatagramPacket(new byte[0], 0),
                System.currentTimeMillis() - millis);
    }
}
