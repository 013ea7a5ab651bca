package io.sipserver.proxy.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.SipServerApplication;
import io.sipserver.proxy.testsupport.FreePorts;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.UserService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A registration acknowledged with 200 survives a restart on the same H2 file, with its remaining expiry. */
class RestartTest {

    @TempDir
    Path data;

    private ConfigurableApplicationContext start(int sipPort) {
        return new SpringApplicationBuilder(SipServerApplication.class).run(
                "--sip.host=127.0.0.1", "--sip.port=" + sipPort, "--sip.domain=" + TestServer.DOMAIN,
                "--server.port=0", "--relay.host=127.0.0.1", "--relay.port-min=" + (sipPort + 100),
                "--relay.port-max=" + (sipPort + 199),
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("sipserver") + ";WRITE_DELAY=0",
                "--spring.security.user.password=secret");
    }

    @Test
    void bindingsAndUsersSurviveARestart() throws Exception {
        int sipPort = FreePorts.udpAndTcp();
        String contact;
        Instant expiresBefore;
        try (ConfigurableApplicationContext first = start(sipPort)) {
            first.getBean(UserService.class).create("alice", "s3cret");
            try (TestUserAgent alice = new TestUserAgent("alice", "s3cret", TestServer.DOMAIN, "127.0.0.1:" + sipPort,
                    "udp")) {
                contact = alice.contact();
                assertThat(alice.register(3600, "<" + contact + ">").getStatusCode()).isEqualTo(200);
            }
            expiresBefore = first.getBean(LocationService.class).lookup("sip:alice@" + TestServer.DOMAIN).get(0)
                    .expiresAt();
        }
        try (ConfigurableApplicationContext second = start(sipPort)) {
            List<Binding> bindings = second.getBean(LocationService.class).lookup("sip:alice@" + TestServer.DOMAIN);
            assertThat(bindings).singleElement().satisfies(b -> {
                assertThat(b.contactUri()).isEqualTo(contact);
                assertThat(b.expiresAt()).isBetween(expiresBefore.minusSeconds(1), expiresBefore.plusSeconds(1));
                assertThat(b.expiresInSeconds(Instant.now())).isBetween(3000L, 3600L);
            });
            assertThat(second.getBean(UserService.class).find("alice")).isPresent();
        }
    }
}
