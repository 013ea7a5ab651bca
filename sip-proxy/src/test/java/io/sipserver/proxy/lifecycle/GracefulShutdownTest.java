package io.sipserver.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.testsupport.LoopbackSdp;
import io.sipserver.proxy.testsupport.AdminApi;
import io.sipserver.proxy.testsupport.ServerProcess;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the server running as its own process, with a call up: new calls and registrations get 503 with
 * Retry-After, the call goes on until it ends or the drain period is over, then the process exits by itself.
 */
class GracefulShutdownTest {

    private static final String PASSWORD = "pw-shutdown";
    /** A JVM ends with 128 + 15 after SIGTERM once its shutdown hooks are done; Spring Boot does not change it. */
    private static final int EXIT_ON_SIGTERM = 143;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    /** Closed last-opened first. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    /** Alice calls Bob through the proxy: INVITE, 200, ACK. */
    private record Call(TestUserAgent alice, TestUserAgent bob, Request invite, Response ok) {
    }

    private ServerProcess start(String drain) throws Exception {
        ServerProcess server = ServerProcess.start(ServerProcess.Layout.fresh(data),
                Map.of("sip.shutdown.drain", drain, "sip.shutdown.retry-after", "17s"));
        resources.push(server);
        AdminApi admin = server.admin();
        for (String user : List.of("alice", "bob", "carol")) {
            admin.createUser(user, PASSWORD);
        }
        return server;
    }

    private TestUserAgent agent(ServerProcess server, String user) throws Exception {
        TestUserAgent ua = new TestUserAgent(user, PASSWORD, TestServer.DOMAIN, server.sipAddress(), "udp");
        resources.push(ua);
        return ua;
    }

    private Call establishCall(ServerProcess server) throws Exception {
        TestUserAgent alice = agent(server, "alice");
        TestUserAgent bob = agent(server, "bob");
        assertThat(alice.register(600, "<" + alice.contact() + ">").getStatusCode()).isEqualTo(200);
        assertThat(bob.register(600, "<" + bob.contact() + ">").getStatusCode()).isEqualTo(200);
        Request invite = alice.inviteWithAuth("bob", LoopbackSdp.pcmu(4000));
        RequestEvent incoming = bob.awaitRequest(Request.INVITE);
        bob.reply(incoming, 200, LoopbackSdp.pcmu(5000));
        Response ok = alice.awaitStatus(200);
        alice.ack(ok, invite);
        assertThat(bob.awaitRequest(Request.ACK)).isNotNull();
        return new Call(alice, bob, invite, ok);
    }

    /**
     * REGISTERs until one is refused: before the server has taken the signal they are challenged and accepted.
     * Returns the refusal.
     */
    private static Response awaitRefusedRegister(TestUserAgent ua) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Response r = ua.register(600, "<" + ua.contact() + ">");
            if (r.getStatusCode() != 200) {
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("REGISTERs still accepted 30 s after SIGTERM");
    }

    private static void assertServiceUnavailable(Response r) {
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(((RetryAfterHeader) r.getHeader(RetryAfterHeader.NAME)).getRetryAfter()).isEqualTo(17);
    }

    private static Response awaitFinalFor(TestUserAgent ua, String method) throws Exception {
        while (true) {
            Response r = ua.finalResponse();
            if (((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod().equals(method)) {
                return r;
            }
        }
    }

    @Test
    void afterSigtermNewRequestsAreRefusedTheLiveCallEndsNormallyAndTheServerExits() throws Exception {
        ServerProcess server = start("60s");
        Call call = establishCall(server);
        TestUserAgent carol = agent(server, "carol");

        server.terminate();

        assertServiceUnavailable(awaitRefusedRegister(carol));
        carol.send(carol.invite("bob", LoopbackSdp.pcmu(6000)));
        assertServiceUnavailable(awaitFinalFor(carol, Request.INVITE));
        assertThat(call.bob().noRequestWithin(Duration.ofMillis(300))).as("the new INVITE reached nobody").isTrue();

        call.alice().send(call.alice().inDialog(Request.BYE, call.ok(), call.invite(), 100));
        RequestEvent bye = call.bob().awaitRequest(Request.BYE);
        call.bob().reply(bye, 200, null);
        assertThat(awaitFinalFor(call.alice(), Request.BYE).getStatusCode()).isEqualTo(200);

        // The drain limit is 60 s: exiting within 30 s of the BYE means the server noticed the last call end.
        assertThat(server.process().waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("server exited within %s of the last call's end", EXIT_WAIT).isTrue();
        assertThat(server.process().exitValue()).isEqualTo(EXIT_ON_SIGTERM);
        assertThat(server.log()).contains("drained: no call up").doesNotContain("drain period over");
    }

    @Test
    void whenTheDrainPeriodRunsOutTheProxyHangsUpAndExits() throws Exception {
        ServerProcess server = start("4s");
        Call call = establishCall(server);

        server.terminate();

        // The drain starts after the signal, so the process cannot be gone before 4 s from here.
        assertThat(server.process().waitFor(3, TimeUnit.SECONDS)).as("still draining").isFalse();
        RequestEvent byeToAlice = call.alice().awaitRequest(Request.BYE);
        RequestEvent byeToBob = call.bob().awaitRequest(Request.BYE);
        assertThat(byeToAlice.getRequest().getHeader("Call-ID").toString())
                .isEqualTo(byeToBob.getRequest().getHeader("Call-ID").toString())
                .isEqualTo(call.invite().getHeader("Call-ID").toString());
        assertThat(server.process().waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).isEqualTo(EXIT_ON_SIGTERM);
        assertThat(server.log()).contains("hanging up 1 call(s)");
    }

    @Test
    void anInviteStillRingingWhenTheDrainRunsOutIsCancelledAndAnswered() throws Exception {
        ServerProcess server = start("2s");
        TestUserAgent alice = agent(server, "alice");
        TestUserAgent bob = agent(server, "bob");
        assertThat(alice.register(600, "<" + alice.contact() + ">").getStatusCode()).isEqualTo(200);
        assertThat(bob.register(600, "<" + bob.contact() + ">").getStatusCode()).isEqualTo(200);
        alice.inviteWithAuth("bob", LoopbackSdp.pcmu(4000));
        bob.reply(bob.awaitRequest(Request.INVITE), 180, null);
        assertThat(alice.awaitStatus(180)).isNotNull();

        server.terminate();

        // Bob never answers: without the shutdown's answer, Alice would wait for a final response that never comes.
        Response answer = awaitFinalFor(alice, Request.INVITE);
        assertServiceUnavailable(answer);
        assertThat(answer.getReasonPhrase()).contains("shutting down");
        assertThat(bob.awaitRequest(Request.CANCEL)).as("the ringing branch is cancelled").isNotNull();
        assertThat(server.process().waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(server.log()).contains("1 unanswered INVITE(s) refused");
    }
}
