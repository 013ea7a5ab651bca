package io.sipserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: the published ports, the
 * settings an operator is told to set (README), and that each variable reaches the property it is meant for.
 */
class DockerComposeFileTest {

    /** The environment variables README documents for the container. */
    private static final List<String> DOCUMENTED_VARIABLES = List.of(
            "SIP_DOMAIN", "SIP_ADVERTISED_ADDRESS", "SPRING_SECURITY_USER_NAME", "SPRING_SECURITY_USER_PASSWORD");

    private static Path repository;
    private static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() throws IOException {
        repository = repositoryRoot();
        try (Reader reader = Files.newBufferedReader(repository.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = map(compose.get("services"));
        }
    }

    @Test
    void proxyPublishesSipOverUdpAndTcpAndTheAdminApi() {
        Set<String> containerPorts = list(service("proxy").get("ports")).stream()
                .map(DockerComposeFileTest::containerPort)
                .collect(Collectors.toSet());

        assertThat(containerPorts).contains("5060/udp", "5060/tcp", "8080/tcp");
    }

    @Test
    void proxySetsEveryDocumentedVariable() {
        assertThat(environment("proxy")).containsKeys(DOCUMENTED_VARIABLES.toArray(String[]::new));
    }

    @Test
    void eachVariableReachesItsProperty() {
        Binder binder = binderOver(environment("proxy"));

        assertThat(binder.bind("sip.domain", String.class).get()).isEqualTo("${SIP_DOMAIN:-localhost}");
        assertThat(binder.bind("sip.advertised-address", String.class).isBound()).isTrue();
        assertThat(binder.bind("spring.security.user.name", String.class).get())
                .isEqualTo("${SPRING_SECURITY_USER_NAME:-admin}");
        assertThat(binder.bind("spring.security.user.password", String.class).get())
                .startsWith("${SPRING_SECURITY_USER_PASSWORD:?");
        assertThat(binder.bind("relay.port-min", Integer.class).get()).isEqualTo(30000);
        assertThat(binder.bind("relay.port-max", Integer.class).get()).isEqualTo(30399);
    }

    @Test
    void relayPortsPublishedAreTheConfiguredRange() {
        Map<String, String> environment = environment("proxy");
        String range = environment.get("RELAY_PORTMIN") + "-" + environment.get("RELAY_PORTMAX");

        assertThat(list(service("proxy").get("ports"))).contains(range + ":" + range + "/udp");
    }

    @Test
    void proxyKeepsItsDatabaseOnTheHost() {
        assertThat(list(service("proxy").get("volumes"))).contains("./data:/app/data");
    }

    @Test
    void sippRegistersTheTestUsersThroughTheProxy() {
        Map<String, Object> sipp = service("sipp");
        String mount = list(sipp.get("volumes")).get(0);
        Path scenarios = repository.resolve(mount.substring(0, mount.indexOf(':')));
        String mountedAt = mount.split(":")[1];

        assertThat(scenarios).isEqualTo(repository.resolve("./sip-proxy/src/test/resources/sipp"));
        assertThat(list(sipp.get("command")))
                .containsExactly("proxy:5060", mountedAt + "/register-auth.xml", mountedAt + "/users.csv");
        assertThat(scenarios.resolve("register-auth.xml")).isRegularFile();
        assertThat(scenarios.resolve("users.csv")).isRegularFile();
        assertThat(map(sipp.get("build")).get("dockerfile")).isEqualTo("Dockerfile.sipp");
        assertThat(repository.resolve("Dockerfile.sipp")).isRegularFile();
    }

    @Test
    void imageExposesThePortsAndRunsTheBootJar() throws IOException {
        List<String> dockerfile = Files.readAllLines(repository.resolve("Dockerfile"));

        assertThat(dockerfile).contains("EXPOSE 5060/udp 5060/tcp 8080", "VOLUME /app/data",
                "ENTRYPOINT [\"java\", \"-XX:MaxTenuringThreshold=0\", \"-Xms2g\", \"-Xmx2g\", \"-XX:+AlwaysPreTouch\", "
                        + "\"-jar\", \"/app/sip-proxy.jar\"]");
        assertThat(dockerfile).anyMatch(line -> line.startsWith("COPY --from=build /src/sip-proxy/target/sip-proxy.jar "));
    }

    /** "HOST:CONTAINER[/proto]" or "CONTAINER[/proto]" -> "CONTAINER/proto" (tcp when unnamed). */
    private static String containerPort(String mapping) {
        String[] protocol = mapping.split("/");
        String ports = protocol[0];
        return ports.substring(ports.lastIndexOf(':') + 1) + "/" + (protocol.length > 1 ? protocol[1] : "tcp");
    }

    private static Binder binderOver(Map<String, String> variables) {
        Map<String, Object> source = Map.copyOf(variables);
        SystemEnvironmentPropertySource environment = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        return new Binder(ConfigurationPropertySources.from(environment));
    }

    private static Map<String, String> environment(String name) {
        Map<String, Object> raw = map(service(name).get("environment"));
        return raw.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).as("services in docker-compose.yml").containsKey(name);
        return map(services.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object yaml) {
        return (List<String>) yaml;
    }

    /** Surefire runs in the module directory; the compose file sits at the repository root. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (int level = 0; level < 3 && dir != null; level++, dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker-compose.yml in " + Path.of("").toAbsolutePath() + " or its parents");
    }
}
