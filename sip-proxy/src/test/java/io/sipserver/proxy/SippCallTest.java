package io.sipserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.testsupport.AdminApi;
import io.sipserver.proxy.testsupport.FreePorts;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.Sipp;
import io.sipserver.proxy.testsupport.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 200 calls through the proxy, placed by SIPp callers that must answer a 407 challenge, to a SIPp
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

    @Test
    void authenticatedCallsReachTheRegisteredCalleeAndEndCleanly() {
        AdminApi api = new AdminApi(httpPort, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        api.createUser("callee", "callee-secret");
        for (int i = 0; i < CALLERS; i++) {
            api.createUser("caller" + i, "secret-" + i);
        }
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
                .localPort(calleePort).args("-m", Integer.toString(CALLS)).timeout(TIMEOUT).start()) {
            Sipp.Result calls = sipp.scenario("sipp/call-auth.xml")
                    .remote("127.0.0.1", sipPort)
                    .injection("callers.csv", callers)
                    .key("domain", TestServer.DOMAIN)
                    .args("-s", "callee", "-d", "100", "-m", Integer.toString(CALLS), "-r", "50",
                            "-recv_timeout", "10000")
                    .timeout(TIMEOUT)
                    .run();
            Sipp.Result answered = callee.await();

            assertThat(calls.exitCode()).as(calls.describe()).isEqualTo(Sipp.EXIT_ALL_CALLS_SUCCEEDED);
            assertThat(calls.successfulCalls()).as(calls.describe()).isEqualTo(CALLS);
            assertThat(calls.failedCalls()).as(calls.describe()).isZero();
            assertThat(answered.successfulCalls()).as(answered.describe()).isEqualTo(CALLS);
            assertThat(answered.failedCalls()).as(answered.describe()).isZero();
        }
        assertThat(liveCallsOnceSettled(api)).isEmpty();
    }

    /** The live calls, polled until there are none or 10 s have passed (the last BYEs are still in flight). */
    private static List<?> liveCallsOnceSettled(AdminApi api) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<?> live = api.get("/api/calls", List.class);
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            live = api.get("/api/calls", List.class);
        }
        return live;
    }
}
