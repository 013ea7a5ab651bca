package io.sipserver.proxy.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sipserver.proxy.testsupport.LoopbackSdp;
import io.sipserver.proxy.testsupport.AdminApi;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.UserService;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The relay measures a call's jitter in the RTP clock its SDP gives, as the admin API reports it. */
@ServerTest
class RelayedJitterTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int OPUS = 111;
    private static final int PACKETS = 50;
    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
        registry.add("sip.trusted-peers", () -> "127.0.0.0/8");
    }

    @LocalServerPort
    int httpPort;
    @Autowired
    UserService users;

    static String opusSdp(int port) {
        return LoopbackSdp.audio(port, "111 101", "rtpmap:111 opus/48000/2", "rtpmap:101 telephone-event/48000");
    }

    @Test
    void opusCallsJitterIsMeasuredAt48Kilohertz() throws Exception {
        users.create("jt-alice", "pw");
        users.create("jt-bob", "pw");
        try (TestUserAgent alice = new TestUserAgent("jt-alice", "pw", TestServer.DOMAIN, "127.0.0.1:" + sipPort, "udp");
                TestUserAgent bob = new TestUserAgent("jt-bob", "pw", TestServer.DOMAIN, "127.0.0.1:" + sipPort, "udp");
                DatagramSocket aliceRtp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket bobRtp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            alice.register(600, "<" + alice.contact() + ">");
            bob.register(600, "<" + bob.contact() + ">");
            Request invite = alice.invite("jt-bob", opusSdp(aliceRtp.getLocalPort()));
            alice.send(invite);
            RequestEvent incoming = bob.awaitRequest(Request.INVITE);
            bob.reply(incoming, 200, opusSdp(bobRtp.getLocalPort()));
            Response ok = alice.awaitStatus(200);
            alice.ack(ok, invite);
            int relayPortForAlice = audioPort(new String(ok.getRawContent(), StandardCharsets.US_ASCII));

            // 20 ms of Opus each (960 units at 48 kHz), sent at once: each packet arrives about 20 ms early on the
            // one before, so |D| is about 20 ms and J = 20 (1 - (15/16)^49) = 19.2 ms. Read at 8 kHz the same
            // timestamps would say 120 ms apart, and J would be about 115 ms.
            for (int i = 0; i < PACKETS; i++) {
                byte[] packet = opusPacket(i, 960L * i);
                aliceRtp.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(LOOPBACK, relayPortForAlice)));
            }

            AdminApi api = new AdminApi(httpPort, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            String path = "/api/calls/" + ((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId();
            await().atMost(Duration.ofSeconds(20)).until(() -> fromAlice(api, path).path("packets").asLong() == PACKETS);
            double jitterMs = fromAlice(api, path).path("jitterMs").asDouble();
            // Bounds wide enough for a scheduler pause in the burst; 8 kHz would be far outside them.
            assertThat(jitterMs).isBetween(10.0, 40.0);
        }
    }

    /** What the caller sent, as GET /api/calls/{id} shows it. */
    private static JsonNode fromAlice(AdminApi api, String path) {
        return api.get(path, JsonNode.class).path("relay").path("streams").path(0).path("a").path("stats");
    }

    private static int audioPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        assertThat(m.find()).as("m=audio in %s", sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static byte[] opusPacket(int sequence, long timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(12 + 80);
        packet.put((byte) 0x80).put((byte) OPUS).putShort((short) sequence).putInt((int) timestamp).putInt(0x0A11CE);
        return packet.array();
    }
}
