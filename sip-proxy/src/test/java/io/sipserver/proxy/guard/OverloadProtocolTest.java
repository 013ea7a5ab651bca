package io.sipserver.proxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.UserService;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Overload control over real UDP: past the bounds, new REGISTERs and INVITEs get 503 with Retry-After while
 * requests of calls in progress pass, and after a burst far beyond what the server can handle it serves normally
 * again by itself.
 */
@ServerTest
class OverloadProtocolTest {

    private static final int MAX_TRANSACTIONS = 100;
    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
        registry.add("sip.thread-pool-size", () -> 2);
        registry.add("sip.overload.max-server-transactions", () -> MAX_TRANSACTIONS);
        registry.add("sip.overload.queue-capacity", () -> 200);
        registry.add("sip.overload.retry-after", () -> "3s");
    }

    @Autowired
    UserService users;

    @Test
    void fullTransactionTableRefusesNewWorkButNotCallsInProgress() throws Exception {
        try (RawPeer peer = new RawPeer()) {
            // Each OPTIONS to the server leaves a server transaction behind for Timer J (5 s).
            for (int i = 0; i < MAX_TRANSACTIONS + 20; i++) {
                peer.send(peer.request("OPTIONS", "sip:" + TestServer.DOMAIN, null));
            }
            peer.awaitCount(200, MAX_TRANSACTIONS);

            peer.send(peer.request("REGISTER", "sip:" + TestServer.DOMAIN, null));
            peer.send(peer.request("INVITE", "sip:somebody@" + TestServer.DOMAIN, null));
            peer.awaitCount(503, 2);
            assertThat(peer.lastRetryAfter.get()).isEqualTo("3");

            // A BYE carries a To tag: it belongs to a dialog and is routed (to nobody here), not refused.
            int before = peer.total();
            peer.send(peer.request("BYE", "sip:somebody@" + TestServer.DOMAIN, "dialog-tag"));
            peer.awaitTotal(before + 1);
            assertThat(peer.count(503)).isEqualTo(2);
        }
        assertServesAgain();
    }

    @Test
    void recoversByItselfAfterABurstFarBeyondCapacity() throws Exception {
        try (RawPeer peer = new RawPeer()) {
            // Bounded: 20,000 unauthenticated REGISTERs as fast as one socket sends them.
            for (int i = 0; i < 20_000; i++) {
                peer.send(peer.request("REGISTER", "sip:" + TestServer.DOMAIN, null));
            }
            // The first hundred get their 401 challenge; the table is then full, so the rest are shed with 503
            // (or dropped on arrival when the 200-datagram queue is full): nothing queues without bound.
            peer.awaitCount(503, 1);
            assertThat(peer.count(401)).isLessThanOrEqualTo(MAX_TRANSACTIONS + 2 * 2);
        }
        assertServesAgain();
    }

    /** A phone registers normally (challenge, credentials, 200) once the transactions of the load have ended. */
    private void assertServesAgain() throws Exception {
        String user = "u" + Long.toHexString(System.nanoTime());
        users.create(user, "pw");
        try (TestUserAgent phone = new TestUserAgent(user, "pw", TestServer.DOMAIN, "127.0.0.1:" + sipPort, "udp")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status;
            do {
                Response r = phone.register(60, "<" + phone.contact() + ">");
                status = r == null ? 0 : r.getStatusCode();
                if (status != Response.OK) {
                    Thread.sleep(500);
                }
            } while (status != Response.OK && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(Response.OK);
        }
    }

    /** A bare UDP peer that sends hand-made requests and counts the responses by status. */
    private final class RawPeer implements AutoCloseable {
        private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        private final InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort);
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final AtomicReference<String> lastRetryAfter = new AtomicReference<>();
        private final Thread receiver;
        private final AtomicInteger sequence = new AtomicInteger();

        RawPeer() throws Exception {
            socket.setSoTimeout(200);
            socket.setReceiveBufferSize(4 << 20);
            receiver = new Thread(this::receive, "raw-peer-receiver");
            receiver.start();
        }

        String request(String method, String uri, String toTag) {
            int n = sequence.incrementAndGet();
            int port = socket.getLocalPort();
            return method + " " + uri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";rport;branch=z9hG4bK-ovl-" + System.nanoTime() + "-" + n + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:flood@" + TestServer.DOMAIN + ">;tag=f" + n + "\r\n"
                    + "To: <" + uri + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                    + "Call-ID: ovl-" + n + "-" + System.nanoTime() + "\r\n"
                    + "CSeq: 1 " + method + "\r\n"
                    + "Contact: <sip:flood@127.0.0.1:" + port + ">\r\n"
                    + "Content-Length: 0\r\n\r\n";
        }

        void send(String message) throws Exception {
            byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, server));
        }

        int count(int status) {
            AtomicInteger c = statuses.get(status);
            return c == null ? 0 : c.get();
        }

        int total() {
            return statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        void awaitTotal(int atLeast) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (total() < atLeast && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(total()).as("responses (all: %s)", statuses).isGreaterThanOrEqualTo(atLeast);
        }

        void awaitCount(int status, int atLeast) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(status) < atLeast && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(count(status)).as("responses %d (all: %s)", status, statuses).isGreaterThanOrEqualTo(atLeast);
        }

        private void receive() {
            byte[] buffer = new byte[65536];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            while (!socket.isClosed()) {
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (Exception e) {
                    return;
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                if (!text.startsWith("SIP/2.0 ")) {
                    continue;
                }
                int status = Integer.parseInt(text.substring(8, 11));
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                int at = text.indexOf("\r\nRetry-After: ");
                if (at >= 0) {
                    lastRetryAfter.set(text.substring(at + 15, text.indexOf("\r\n", at + 2)).trim());
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            receiver.join();
        }
    }
}
