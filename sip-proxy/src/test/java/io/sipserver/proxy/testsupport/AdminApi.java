package io.sipserver.proxy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

/** The admin REST API of a server started by a test, as an operator's script would use it. */
public final class AdminApi {

    private final RestClient client;

    public AdminApi(int httpPort, String user, String password) {
        this.client = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + httpPort)
                .defaultHeaders(headers -> headers.setBasicAuth(user, password))
                .build();
    }

    /** POST /api/users, expecting 201 Created. */
    public void createUser(String username, String password) {
        assertThat(client.post().uri("/api/users").body(new NewUser(username, password))
                .retrieve().toBodilessEntity().getStatusCode())
                .as("creating user %s", username)
                .isEqualTo(HttpStatus.CREATED);
    }

    /** GET path, the JSON body read as the given type. */
    public <T> T get(String path, Class<T> type) {
        return client.get().uri(path).retrieve().body(type);
    }

    private record NewUser(String username, String password) {
    }
}
