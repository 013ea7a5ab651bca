package io.sipserver.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * Bad input on the running server's real sockets: whatever arrives, the sender gets a clear refusal (or nothing
 * where no answer is possible) and the listener goes on answering the next valid request.
 */
@ServerTest
class BadInputProtocolTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int TIMEOUT_MS = 5000;

    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
    }

    @Value("${sip.max-message-size}")
    int maxMessageSize;

    @LocalServerPort
    int httpPort;

    private DatagramSocket udp;

    @BeforeEach
    void openSocket() throws IOException {
        udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        udp.setSoTimeout(TIMEOUT_MS);
    }

    @AfterEach
    void closeSocket() {
        udp.close();
    }

    @Test
    void aRequestWhoseHeadersMakeItTooLargeGets513() throws Exception {
        String callId = callId();
        String oversized = options(callId, "UDP", udp.getLocalPort(), "X-Padding: " + "a".repeat(maxMessageSize) + "\r\n", "");

        sendUdp(oversized);

        assertThat(udpResponse(callId)).hasValueSatisfying(status -> assertThat(status).startsWith("SIP/2.0 513 "));
        assertTheServerStillAnswersOverUdp();
    }

    @Test
    void aRequestWhoseBodyMakesItTooLargeGets513() throws Exception {
        String callId = callId();
        String body = "x".repeat(maxMessageSize + 100);

        sendUdp(options(callId, "UDP", udp.getLocalPort(), "Content-Type: text/plain\r\n", body));

        assertThat(udpResponse(callId)).hasValueSatisfying(status -> assertThat(status).startsWith("SIP/2.0 513 "));
        assertTheServerStillAnswersOverUdp();
    }

    @Test
    void aRequestOfExactlyTheMaximumSizeIsServed() throws Exception {
        String callId = callId();
        String empty = options(callId, "UDP", udp.getLocalPort(), "Content-Type: text/plain\r\n", "");
        int overhead = empty.length() - "0".length();
        String body = "x".repeat(maxMessageSize - overhead - Integer.toString(maxMessageSize - overhead).length());
        String atTheLimit = options(callId, "UDP", udp.getLocalPort(), "Content-Type: text/plain\r\n", body);
        assertThat(atTheLimit).hasSize(maxMessageSize);

        sendUdp(atTheLimit);

        assertThat(udpResponse(callId)).hasValueSatisfying(status -> assertThat(status).startsWith("SIP/2.0 200 "));
    }

    @Test
    void anOversizedAckOrResponseOrGarbageIsDroppedUnanswered() throws Exception {
        String callId = callId();
        String padding = "X-Padding: " + "a".repeat(maxMessageSize) + "\r\n";
        String ack = options(callId, "UDP", udp.getLocalPort(), padding, "").replace("OPTIONS", "ACK");
        String response = "SIP/2.0 200 OK\r\n" + ack.substring(ack.indexOf("\r\n") + 2);

        sendUdp(ack);
        sendUdp(response);
        sendUdp(padding + padding);

        assertThat(udpResponse(callId)).isEmpty();
        assertTheServerStillAnswersOverUdp();
    }

    @Test
    void aTcpMessageAboveTheMaximumSizeIsRefusedAndTheNextConnectionIsServed() throws Exception {
        try (Socket tcp = new Socket(LOOPBACK, sipPort)) {
            tcp.setSoTimeout(TIMEOUT_MS);
            String callId = callId();
            String body = "x".repeat(maxMessageSize + 100);
            tcp.getOutputStream().write(options(callId, "TCP", tcp.getLocalPort(), "Content-Type: text/plain\r\n", body)
                    .getBytes(StandardCharsets.US_ASCII));

            // JAIN-SIP reads no further than the limit: the connection is closed without an answer, or gets a 513.
            Optional<String> answer = tcpResponse(tcp.getInputStream());
            answer.ifPresent(status -> assertThat(status).startsWith("SIP/2.0 513 "));
        }
        try (Socket tcp = new Socket(LOOPBACK, sipPort)) {
            tcp.setSoTimeout(TIMEOUT_MS);
            tcp.getOutputStream().write(options(callId(), "TCP", tcp.getLocalPort(), "", "")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(tcpResponse(tcp.getInputStream())).hasValueSatisfying(
                    status -> assertThat(status).startsWith("SIP/2.0 200 "));
        }
    }

    @Test
    void garbageDatagramsDoNotStopTheListener() throws Exception {
        byte[][] garbage = {
                new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\r', '\n'},
                "\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "OPTIONS sip:".getBytes(StandardCharsets.US_ASCII),
                "SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "INVITE sip:bob@example.test SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "\u00e9\u00e8 not SIP at all \u2603".getBytes(StandardCharsets.UTF_8)};
        for (byte[] datagram : garbage) {
            udp.send(new DatagramPacket(datagram, datagram.length, LOOPBACK, sipPort));
        }

        assertTheServerStillAnswersOverUdp();
    }

    @Test
    void aBrokenHeaderGets400WithTheReason() throws Exception {
        String callId = callId();

        sendUdp(options(callId, "UDP", udp.getLocalPort(), "", "").replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS"));

        assertThat(udpResponse(callId)).hasValueSatisfying(status ->
                assertThat(status).startsWith("SIP/2.0 400 Bad Request (").contains("CSeq"));
        assertTheServerStillAnswersOverUdp();
    }

    @Test
    void aBodyShorterThanItsContentLengthGets400() throws Exception {
        String callId = callId();

        sendUdp(options(callId, "UDP", udp.getLocalPort(), "Content-Type: text/plain\r\n", "short")
                .replace("Content-Length: 5", "Content-Length: 500"));

        assertThat(udpResponse(callId)).hasValueSatisfying(status ->
                assertThat(status).startsWith("SIP/2.0 400 Bad Request (").containsIgnoringCase("content length"));
        assertTheServerStillAnswersOverUdp();
    }

    @Test
    void malformedJsonGets400ProblemDetailWithTheReason() {
        ResponseEntity<String> response = RestClient.builder().baseUrl("http://127.0.0.1:" + httpPort)
                .defaultHeaders(h -> h.setBasicAuth(TestServer.ADMIN, TestServer.ADMIN_PASSWORD)).build()
                .post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).body("{\"username\": \"alice\",")
                .retrieve().onStatus(status -> true, (request, r) -> { }).toEntity(String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).contains("\"status\":400").containsIgnoringCase("Malformed JSON")
                .contains("end-of-input");
    }

    private void assertTheServerStillAnswersOverUdp() throws IOException {
        String callId = callId();
        sendUdp(options(callId, "UDP", udp.getLocalPort(), "", ""));
        assertThat(udpResponse(callId)).as("answer to a valid OPTIONS")
                .hasValueSatisfying(status -> assertThat(status).startsWith("SIP/2.0 200 "));
    }

    private void sendUdp(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        udp.send(new DatagramPacket(bytes, bytes.length, LOOPBACK, sipPort));
    }

    /** The status line of the first response carrying this Call-ID, or empty when none comes in time. */
    private Optional<String> udpResponse(String callId) throws IOException {
        byte[] buffer = new byte[65535];
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (text.contains(callId)) {
                return Optional.of(text.substring(0, text.indexOf("\r\n")));
            }
        }
        return Optional.empty();
    }

    /** The status line of the response on this connection, or empty when the server closes it without one. */
    private static Optional<String> tcpResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = readOrEnd(in)) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.UTF_8);
            if (text.endsWith("\r\n")) {
                return text.startsWith("SIP/2.0 ") ? Optional.of(text.strip()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static int readOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static String callId() {
        return UUID.randomUUID() + "@bad-input.test";
    }

    private String options(String callId, String transport, int localPort, String extraHeaders, String body) {
        return "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";rport;branch=z9hG4bK"
                + UUID.randomUUID().toString().replace("-", "") + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=" + Long.toHexString(System.nanoTime()) + "\r\n"
                + "To: <sip:127.0.0.1:" + sipPort + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + extraHeaders
                + "Content-Length: " + body.length() + "\r\n\r\n"
                + body;
    }
}
