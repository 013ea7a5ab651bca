package io.sipserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.sipserver.proxy.testsupport.AdminApi;
import io.sipserver.proxy.testsupport.ServerTest;
import io.sipserver.proxy.testsupport.Sipp;
import io.sipserver.proxy.testsupport.TestServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** 100 users, created through the admin API, each registered by SIPp with digest authentication. */
@ServerTest
class SippRegisterTest {

    private static final int USERS = 100;

    private static int sipPort;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        sipPort = TestServer.properties(registry);
    }

    @LocalServerPort
    int httpPort;

    @Test
    void everyUserRegistersWithDigestAuthentication() {
        AdminApi api = new AdminApi(httpPort, TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        for (int i = 0; i < USERS; i++) {
            api.createUser("user" + i, "secret-" + i);   // as in sipp/users.csv
        }

        Sipp.Result result = Sipp.locate().scenario("sipp/register-auth.xml")
                .remote("127.0.0.1", sipPort)
                .injection("sipp/users.csv")
                .key("domain", TestServer.DOMAIN).key("expires", "3600")
                .args("-m", Integer.toString(USERS), "-r", "200", "-recv_timeout", "5000")
                .timeout(Duration.ofSeconds(60))
                .run();

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(Sipp.EXIT_ALL_CALLS_SUCCEEDED);
        assertThat(result.successfulCalls()).as(result.describe()).isEqualTo(USERS);
        assertThat(result.failedCalls()).as(result.describe()).isZero();
        Registration[] registrations = api.get("/api/registrations", Registration[].class);
        assertThat(Arrays.stream(registrations).map(Registration::aor))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, USERS)
                        .mapToObj(i -> "sip:user" + i + "@" + TestServer.DOMAIN).toList());
        assertThat(registrations).allSatisfy(r -> assertThat(r.contacts()).hasSize(1));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Registration(String aor, List<Object> contacts) {
    }
}
