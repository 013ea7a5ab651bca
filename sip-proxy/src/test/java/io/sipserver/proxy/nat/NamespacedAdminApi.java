package io.sipserver.proxy.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin REST API of a server that runs in a network namespace, called with curl run inside that namespace:
 * the test JVM is in the root namespace, from which (by design) nothing reaches the server.
 */
final class NamespacedAdminApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final NatNetwork network;
    private final String netns;
    private final String baseUrl;
    private final String credentials;

    NamespacedAdminApi(NatNetwork network, String netns, int httpPort, String user, String password) {
        this.network = network;
        this.netns = netns;
        this.baseUrl = "http://127.0.0.1:" + httpPort;
        this.credentials = user + ":" + password;
    }

    /** Whether the health endpoint answers 200 (the application has started). */
    boolean isUp() {
        return call("GET", "/actuator/health", null).status() == 200;
    }

    /** POST /api/users, expecting 201 Created. */
    void createUser(String username, String password) {
        Response response = call("POST", "/api/users",
                JSON.writeValueAsString(Map.of("username", username, "password", password)));
        assertThat(response.status()).as("creating user %s: %s", username, response.body()).isEqualTo(201);
    }

    /** GET path, expecting 200; the JSON body. */
    JsonNode get(String path) {
        Response response = call("GET", path, null);
        assertThat(response.status()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private Response call(String method, String path, String jsonBody) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5", "-u", credentials,
                "-X", method, "-o", "-", "-w", "\n%{http_code}"));
        if (jsonBody != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", jsonBody));
        }
        command.add(baseUrl + path);
        NatNetwork.Result result = network.exec(netns, command.toArray(String[]::new));
        String output = result.output();
        int lastLine = output.lastIndexOf('\n');
        String code = output.substring(lastLine + 1).strip();
        // curl prints 000 when it got no response (server not listening yet); a failed exec has no code at all
        int status = result.succeeded() && code.matches("\\d{3}") ? Integer.parseInt(code) : 0;
        return new Response(status, lastLine < 0 ? output : output.substring(0, lastLine));
    }

    private record Response(int status, String body) {
    }
}
