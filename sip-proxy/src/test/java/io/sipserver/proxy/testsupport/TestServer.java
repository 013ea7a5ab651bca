package io.sipserver.proxy.testsupport;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Properties that put a {@link ServerTest} application on loopback ports and a database of its own. */
public final class TestServer {

    public static final String DOMAIN = "example.test";
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";

    private TestServer() {
    }

    /** Registers the loopback, port and database properties; returns the SIP port chosen. */
    public static int properties(DynamicPropertyRegistry registry) {
        int sipPort = FreePorts.udpAndTcp();
        // Below the kernel's ephemeral range (32768 and up), so no client socket holds a relay port.
        int relayBase = 20000 + 2 * ThreadLocalRandom.current().nextInt(5000);
        registry.add("sip.host", () -> "127.0.0.1");
        registry.add("sip.port", () -> sipPort);
        registry.add("sip.domain", () -> DOMAIN);
        registry.add("sip.advertised-address", () -> "127.0.0.1");
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("spring.security.user.name", () -> ADMIN);
        registry.add("spring.security.user.password", () -> ADMIN_PASSWORD);
        registry.add("relay.port-min", () -> relayBase);
        registry.add("relay.port-max", () -> relayBase + 1999);
        registry.add("relay.host", () -> "127.0.0.1");
        // Closing the context at the end of the test run hangs up calls a test left up, without waiting.
        registry.add("sip.shutdown.drain", () -> "0s");
        // The start-up warm-up runs, but a tenth of it: its 40,000 messages cost every test context 2-3 s here.
        registry.add("sip.warm-up.messages", () -> 4000);
        return sipPort;
    }

}
