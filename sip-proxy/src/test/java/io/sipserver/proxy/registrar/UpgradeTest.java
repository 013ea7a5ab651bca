package io.sipserver.proxy.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.proxy.SipServerApplication;
import io.sipserver.proxy.testsupport.FreePorts;
import io.sipserver.proxy.testsupport.TestServer;
import io.sipserver.proxy.testsupport.TestUserAgent;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.UserService;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The server starts on the database of an earlier release, whose admission migrations (2.x) were applied before the
 * registrar's later ones (1.x), applies those, and keeps what the database held.
 */
class UpgradeTest {

    @TempDir
    Path data;

    @ParameterizedTest(name = "registrar migrations up to {0}, then admission's")
    @ValueSource(strings = {"1.1", "1.2"})
    void aDatabaseOfAnEarlierReleaseIsMigratedAndKept(String registrarVersion) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("sipserver") + ";WRITE_DELAY=0";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/registrar")
                .target(registrarVersion).load().migrate();
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/admission")
                .ignoreMigrationPatterns("*:missing").load().migrate();
        int sipPort = FreePorts.udpAndTcp();
        String[] args = {"--sip.host=127.0.0.1", "--sip.port=" + sipPort, "--sip.domain=" + TestServer.DOMAIN,
            "--server.port=0", "--relay.host=127.0.0.1", "--relay.port-min=" + (sipPort + 100),
            "--relay.port-max=" + (sipPort + 199), "--spring.datasource.url=" + url,
            "--spring.security.user.password=secret"};
        try (ConfigurableApplicationContext first = new SpringApplicationBuilder(SipServerApplication.class)
                .run(args)) {
            assertThat(first.getBean(JdbcTemplate.class).queryForList("SELECT \"version\" FROM"
                    + " \"flyway_schema_history\" WHERE \"success\" ORDER BY \"installed_rank\"", String.class))
                    .endsWith("1.3");
            first.getBean(UserService.class).create("alice", "s3cret");
            try (TestUserAgent alice = new TestUserAgent("alice", "s3cret", TestServer.DOMAIN, "127.0.0.1:" + sipPort,
                    "udp")) {
                assertThat(alice.register(3600, "<" + alice.contact() + ">").getStatusCode()).isEqualTo(200);
            }
        }
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(SipServerApplication.class)
                .run(args)) {
            assertThat(second.getBean(LocationService.class).lookup("sip:alice@" + TestServer.DOMAIN)).hasSize(1);
        }
    }
}
