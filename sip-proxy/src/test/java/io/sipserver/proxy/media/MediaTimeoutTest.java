package io.sipserver.proxy.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.admission.CallAdmission;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.proxy.testsupport.LoopbackSdp;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.UserService;
import io.sipserver.relay.MediaRelay;
import java.time.Duration;
import javax.sip.RequestEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** No RTP for relay.media-timeout ends the call: BYE to both parties, relay session and bandwidth released. */
@ServerTest
class MediaTimeoutTest {

    private static int sipPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
        registry.add("sip.trusted-peers", () -> "127.0.0.0/8");
        registry.add("relay.media-timeout", () -> "30s");
    }

    @Autowired
    UserService users;
    @Autowired
    CallRegistry calls;
    @Autowired
    MediaRelay relay;
    @Autowired
    CallAdmission admission;
    @Autowired
    MutableClock clock;

    @Test
    void silentCallIsEndedWithByeToBothSides() throws Exception {
        users.create("mt-alice", "pw");
        users.create("mt-bob", "pw");
        try (TestUserAgent alice = new TestUserAgent("mt-alice", "pw", TestServer.DOMAIN, "127.0.0.1:" + sipPort, "udp");
                TestUserAgent bob = new TestUserAgent("mt-bob", "pw", TestServer.DOMAIN, "127.0.0.1:" + sipPort, "udp")) {
            alice.register(600, "<" + alice.contact() + ">");
            bob.register(600, "<" + bob.contact() + ">");
            Request invite = alice.invite("mt-bob", LoopbackSdp.pcmu(4000));
            alice.send(invite);
            RequestEvent incoming = bob.awaitRequest(Request.INVITE);
            bob.reply(incoming, 200, LoopbackSdp.pcmu(5000));
            Response ok = alice.awaitStatus(200);
            alice.ack(ok, invite);
            bob.awaitRequest(Request.ACK);
            assertThat(relay.sessions()).hasSize(1);

            clock.advance(Duration.ofSeconds(31));

            RequestEvent byeAtAlice = alice.awaitRequest(Request.BYE);
            RequestEvent byeAtBob = bob.awaitRequest(Request.BYE);
            alice.reply(byeAtAlice, 200, null);
            bob.reply(byeAtBob, 200, null);
            // The proxy ends the call right after sending both BYEs: it may not have done so when they arrive.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!calls.list().isEmpty() && System.nanoTime() < deadline) {
                sleepBriefly();
            }
            assertThat(calls.list()).isEmpty();
            awaitNoRelaySessions();
            assertThat(admission.liveCalls()).isZero();
        }
    }

    /** Relay sessions are closed off the SIP threads: give the closing a moment. */
    private void awaitNoRelaySessions() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (!relay.sessions().isEmpty() && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        assertThat(relay.sessions()).isEmpty();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
