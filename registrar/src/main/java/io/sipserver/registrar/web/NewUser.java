package io.sipserver.registrar.web;

/** Body of {@code POST /api/users}. */
public record NewUser(String username, String password) {
}
