package io.sipserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.sipserver.admission.CallAdmission;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.sip.SipStackRuntime;
import io.sipserver.proxy.testsupport.AdminApi;
import io.sipserver.proxy.testsupport.FreePorts;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.Sipp;
import io.sipserver.proxy.testsupport.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import io.sipserver.relay.MediaRelay;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Calls through the proxy, placed by SIPp callers that must answer a 407 challenge, to a SIPp
 * callee registered with digest authentication: INVITE .. 200, ACK and BYE routed via Record-Route.
 */
@ServerTest
class SippCallTest {

    private static final int CALLERS = 10;
    private static final int CALLS = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static int sipPort;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
        registry.add("sip.trusted-peers", () -> "");   // every INVITE is challenged
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    SipStackRuntime sipStack;
    @Autowired
    CallRegistry calls;
    @Autowired
    MediaRelay relay;
    @Autowired
    CallAdmission admission;

    private static boolean usersCreated;

    @Test
    void authenticatedCallsReachTheRegisteredCalleeAndEndCleanly() {
        AdminApi api = api();
        placeCalls(api, CALLS, 50, 100);
        assertThat(liveCallsOnceSettled(api)).isEmpty();
    }

    /**
     * Thousands of calls, then nothing may be left: no call record, relay session or bandwidth charge, and the
     * stack's transaction tables drain once their timers have run.
     */
    @Test
    void thousandsOfCallsLeaveNothingBehind() {
        AdminApi api = api();
        placeCalls(api, 2000, 100, 10);
        assertThat(liveCallsOnceSettled(api)).isEmpty();
        assertThat(calls.size()).isZero();
        awaitNoRelaySessions();
        assertThat(admission.liveCalls()).isZero();
        SIPTransactionStack stack = (SIPTransactionStack) sipStack.stack();
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (stack.getServerTransactionTableSize() + stack.getClientTransactionTableSize() > 0
                && System.nanoTime() < deadline) {
            sleep(250);
        }
        assertThat(stack.getServerTransactionTableSize()).as("server transactions left").isZero();
        assertThat(stack.getClientTransactionTableSize()).as("client transactions left").isZero();
    }

    private AdminApi api() {
        AdminApi api = new AdminApi(httpPort, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        synchronized (SippCallTest.class) {
            if (!usersCreated) {
                api.createUser("callee", "callee-secret");
                for (int i = 0; i < CALLERS; i++) {
                    api.createUser("caller" + i, "secret-" + i);
                }
                usersCreated = true;
            }
        }
        return api;
    }

    /** Registers a SIPp callee, then SIPp callers place {@code count} authenticated calls at {@code rate}/s. */
    private void placeCalls(AdminApi api, int count, int rate, int holdMs) {
        String[] callers = IntStream.range(0, CALLERS)
                .mapToObj(i -> "caller" + i + ";secret-" + i)
                .toArray(String[]::new);
        Sipp sipp = Sipp.locate();
        int calleePort = FreePorts.udpAndTcp();

        Sipp.Result registration = sipp.scenario("sipp/register-auth.xml")
                .remote("127.0.0.1", sipPort)
                .localPort(calleePort)
                .injection("callee.csv", "callee;callee-secret")
                .key("domain", TestServer.DOMAIN).key("expires", "3600")
                .args("-m", "1")
                .timeout(TIMEOUT)
                .run();
        assertThat(registration.successfulCalls()).as(registration.describe()).isEqualTo(1);

        try (Sipp.Running callee = sipp.scenario("sipp/uas.xml")
                .localPort(calleePort).args("-m", Integer.toString(count)).timeout(TIMEOUT).start()) {
            Sipp.Result placed = sipp.scenario("sipp/call-auth.xml")
                    .remote("127.0.0.1", sipPort)
                    .injection("callers.csv", callers)
                    .key("domain", TestServer.DOMAIN)
                    .args("-s", "callee", "-d", Integer.toString(holdMs), "-m", Integer.toString(count),
                            "-r", Integer.toString(rate), "-recv_timeout", "10000")
                    .timeout(TIMEOUT)
                    .run();
            Sipp.Result answered = callee.await();

            assertThat(placed.exitCode()).as(placed.describe()).isEqualTo(Sipp.EXIT_ALL_CALLS_SUCCEEDED);
            assertThat(placed.successfulCalls()).as(placed.describe()).isEqualTo(count);
            assertThat(placed.failedCalls()).as(placed.describe()).isZero();
            assertThat(answered.successfulCalls()).as(answered.describe()).isEqualTo(count);
            assertThat(answered.failedCalls()).as(answered.describe()).isZero();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The live calls, polled until there are none or 10 s have passed (the last BYEs are still in flight). */
    private static List<?> liveCallsOnceSettled(AdminApi api) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<?> live = api.get("/api/calls", List.class);
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            sleep(100);
            live = api.get("/api/calls", List.class);
        }
        return live;
    }

    /** Relay sessions are closed off the SIP threads: give the closing a moment. */
    private void awaitNoRelaySessions() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (!relay.sessions().isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(relay.sessions()).isEmpty();
    }
}
