package io.sipserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.testsupport.FreePorts;
import io.sipserver.proxy.testsupport.Sipp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The scenarios the proxy tests and benchmarks use, played against SIPp stand-ins (sipp/mock/*.xml):
 * the clients against a registrar and a challenging, record-routing proxy that check what they rely on,
 * the callee against a caller whose messages arrive out of order.
 */
class SippScenariosTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Sipp sipp = Sipp.locate();

    @Test
    void registerAuthAnswersTheDigestChallengeOfEveryUser() {
        int serverPort = FreePorts.udpAndTcp();
        try (Sipp.Running registrar = sipp.scenario("sipp/mock/registrar.xml")
                .localPort(serverPort).key("expires", "3600").args("-m", "100").timeout(TIMEOUT).start()) {

            Sipp.Result clients = sipp.scenario("sipp/register-auth.xml")
                    .remote("127.0.0.1", serverPort)
                    .injection("sipp/users.csv")
                    .key("domain", "127.0.0.1").key("expires", "3600")
                    .args("-m", "100", "-r", "500")
                    .timeout(TIMEOUT)
                    .run();
            Sipp.Result server = registrar.await();

            assertThat(clients.exitCode()).as(clients.describe()).isEqualTo(Sipp.EXIT_ALL_CALLS_SUCCEEDED);
            assertThat(clients.successfulCalls()).as(clients.describe()).isEqualTo(100);
            assertThat(server.successfulCalls()).as(server.describe()).isEqualTo(100);
        }
    }

    @Test
    void theStandInRegistrarRejectsAWrongPassword() {
        int serverPort = FreePorts.udpAndTcp();
        try (Sipp.Running registrar = sipp.scenario("sipp/mock/registrar.xml")
                .localPort(serverPort).key("expires", "3600").args("-m", "1").timeout(TIMEOUT).start()) {

            Sipp.Result client = sipp.scenario("sipp/register-auth.xml")
                    .remote("127.0.0.1", serverPort)
                    .injection("wrong.csv", "user0;not-secret-0")
                    .key("domain", "127.0.0.1").key("expires", "3600")
                    .args("-m", "1")
                    .timeout(TIMEOUT)
                    .run();
            registrar.await();

            assertThat(client.failedCalls()).as(client.describe()).isEqualTo(1);
            assertThat(client.errorLog()).contains("403 Forbidden");
        }
    }

    @Test
    void callAuthAcksTheChallengeInItsTransactionAndRoutesTheDialogThroughTheProxy() {
        int proxyPort = FreePorts.udpAndTcp();
        try (Sipp.Running proxy = sipp.scenario("sipp/mock/proxy.xml")
                .localPort(proxyPort).args("-m", "20").timeout(TIMEOUT).start()) {

            Sipp.Result callers = sipp.scenario("sipp/call-auth.xml")
                    .remote("127.0.0.1", proxyPort)
                    .injection("sipp/users.csv")
                    .key("domain", "127.0.0.1:" + proxyPort)
                    .args("-s", "callee", "-d", "10", "-m", "20", "-r", "100")
                    .timeout(TIMEOUT)
                    .run();
            Sipp.Result server = proxy.await();

            assertThat(callers.exitCode()).as(callers.describe()).isEqualTo(Sipp.EXIT_ALL_CALLS_SUCCEEDED);
            assertThat(callers.successfulCalls()).as(callers.describe()).isEqualTo(20);
            assertThat(server.successfulCalls()).as(server.describe()).isEqualTo(20);
            assertThat(server.failedCalls()).as(server.describe()).isZero();
        }
    }

    @Test
    void uasAcceptsAnAckThatArrivesAfterTheBye() {
        int calleePort = FreePorts.udpAndTcp();
        try (Sipp.Running callee = sipp.scenario("sipp/uas.xml")
                .localPort(calleePort).args("-m", "5").timeout(TIMEOUT).start()) {

            Sipp.Result callers = sipp.scenario("sipp/mock/ack-after-bye.xml")
                    .remote("127.0.0.1", calleePort)
                    .args("-m", "5", "-r", "50")
                    .timeout(TIMEOUT)
                    .run();
            Sipp.Result answered = callee.await();

            assertThat(callers.successfulCalls()).as(callers.describe()).isEqualTo(5);
            assertThat(answered.exitCode()).as(answered.describe()).isEqualTo(Sipp.EXIT_ALL_CALLS_SUCCEEDED);
            assertThat(answered.successfulCalls()).as(answered.describe()).isEqualTo(5);
        }
    }
}
