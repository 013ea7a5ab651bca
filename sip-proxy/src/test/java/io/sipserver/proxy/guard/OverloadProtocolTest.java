package io.sipserver.proxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.observability.SipMethod;
import io.sipserver.proxy.observability.SipTrafficCounts;
import io.sipserver.proxy.observability.SipTrafficCounts.Direction;
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
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Overload control over real UDP: past the bounds, new REGISTERs and INVITEs get 503 with Retry-After while
 * requests of calls in progress pass, and after a burst far beyond what the server can handle it serves normally
 * again by itself. Over UDP the refusal is written from the datagram's bytes on the listening point's reader, and
 * the ACK of a refusal is dropped there; both are counted as if parsed.
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

    @Autowired
    SipTrafficCounts traffic;

    @Test
    void fullTransactionTableRefusesNewWorkButNotCallsInProgress() throws Exception {
        try (RawPeer peer = new RawPeer()) {
            fillTransactionTable(peer);

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
    void refusesAnInviteUnparsedAndDropsItsAckWhileInDialogRequestsPass() throws Exception {
        try (RawPeer peer = new RawPeer(); DatagramSocket elsewhere = new DatagramSocket(0,
                InetAddress.getLoopbackAddress())) {
            fillTransactionTable(peer);
            long invites = traffic.requestsReceived(SipMethod.INVITE);
            long acks = traffic.requestsReceived(SipMethod.ACK);
            long refusals = traffic.responses(Direction.SENT, SipMethod.INVITE, 503);
            long stops = traffic.guardStops("OverloadGuard", 503);

            // The Via names another port, with rport: the answer goes to the source port (RFC 3581).
            String invite = peer.request("INVITE", "sip:somebody@" + TestServer.DOMAIN, null)
                    .replace("127.0.0.1:" + peer.port() + ";rport", "127.0.0.1:" + elsewhere.getLocalPort() + ";rport");
            peer.send(invite);
            String refusal = peer.awaitResponse(callId(invite));
            assertThat(refusal).startsWith("SIP/2.0 503 ").contains("\r\nRetry-After: 3\r\n");
            assertThat(header(refusal, "Via")).startsWith("SIP/2.0/UDP 127.0.0.1:" + elsewhere.getLocalPort()
                    + ";rport=" + peer.port() + ";branch=").endsWith(";received=127.0.0.1");
            String to = header(refusal, "To");
            assertThat(to).contains(";tag=rf-");

            // Its ACK (same branch, the refusal's To) gets nothing; an in-dialog request sent after it is answered.
            String ack = invite.replaceFirst("INVITE [^ ]+", "ACK sip:somebody@" + TestServer.DOMAIN)
                    .replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
                    .replaceFirst("To: [^\r]+", Matcher.quoteReplacement("To: " + to));
            peer.send(ack);
            String reInvite = peer.request("INVITE", "sip:somebody@" + TestServer.DOMAIN, "dialog-tag");
            peer.send(reInvite);
            assertThat(peer.awaitResponse(callId(reInvite))).doesNotStartWith("SIP/2.0 503 ");
            assertThat(peer.responsesTo(callId(invite))).as("responses to the INVITE and its ACK").hasSize(1);

            assertThat(traffic.requestsReceived(SipMethod.INVITE)).isEqualTo(invites + 2);
            assertThat(traffic.requestsReceived(SipMethod.ACK)).isEqualTo(acks + 1);
            assertThat(traffic.responses(Direction.SENT, SipMethod.INVITE, 503)).isEqualTo(refusals + 1);
            assertThat(traffic.guardStops("OverloadGuard", 503)).isEqualTo(stops + 1);
        }
        assertServesAgain();
    }

    private static String callId(String message) {
        return header(message, "Call-ID");
    }

    private static String header(String message, String name) {
        int at = message.indexOf("\r\n" + name + ": ");
        assertThat(at).as("%s in %s", name, message).isPositive();
        int start = at + name.length() + 4;
        return message.substring(start, message.indexOf("\r\n", start));
    }

    @Test
    void recoversByItselfAfterABurstFarBeyondCapacity() throws Exception {
        try (RawPeer peer = new RawPeer()) {
            fillTransactionTable(peer);
            // Bounded: 20,000 REGISTERs as fast as one socket sends them. They are shed with 503 (or dropped on
            // arrival when the 200-datagram queue is full): nothing queues without bound.
            for (int i = 0; i < 20_000; i++) {
                peer.send(peer.request("REGISTER", "sip:" + TestServer.DOMAIN, null));
            }
            peer.awaitCount(503, 1);
        }
        assertServesAgain();
    }

    /**
     * Fills the server transaction table beyond its bound: each CANCEL that matches no INVITE is answered 481 through
     * a server transaction that lingers for Timer J (5 s). (Challenges, keep-alives and early refusals are stateless
     * and take no table space.)
     */
    private static void fillTransactionTable(RawPeer peer) throws Exception {
        for (int i = 0; i < MAX_TRANSACTIONS + 20; i++) {
            peer.send(peer.request("CANCEL", "sip:somebody@" + TestServer.DOMAIN, null));
        }
        peer.awaitCount(481, MAX_TRANSACTIONS);
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
        private final Queue<String> responses = new ConcurrentLinkedQueue<>();
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

        int port() {
            return socket.getLocalPort();
        }

        List<String> responsesTo(String callId) {
            return responses.stream().filter(r -> callId.equals(callId(r))).toList();
        }

        /** The first response with this Call-ID. */
        String awaitResponse(String callId) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (responsesTo(callId).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(responsesTo(callId)).as("responses to %s", callId).isNotEmpty();
            return responsesTo(callId).get(0);
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
                responses.add(text);
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
