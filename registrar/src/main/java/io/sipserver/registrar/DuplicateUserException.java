package io.sipserver.registrar;

/** A user of that name already exists (REST: 409 Conflict). */
public class DuplicateUserException extends RuntimeException {

    public DuplicateUserException(String username) {
        super("user '" + username + "' already exists");
    }
}
