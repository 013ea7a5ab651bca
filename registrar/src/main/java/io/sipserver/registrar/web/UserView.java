package io.sipserver.registrar.web;

/** A user as the API shows it: the name only, never the HA1 values. */
public record UserView(String username) {
}
