package io.sipserver.registrar.auth;

/** The verdict on a Digest credential. */
public sealed interface AuthResult {

    /** The credential is valid: the request comes from this user. */
    record Authenticated(String username) implements AuthResult {
    }

    /**
     * The response was right but the nonce is no longer usable (expired, evicted from the nonce-count table, or
     * its nonce count already used): re-challenge with {@code stale=true} so the client retries without asking the
     * user. Not a failed attempt: whoever sent it knows the password or copied a request that did.
     */
    record Stale() implements AuthResult {
    }

    /** The credential is not acceptable; the reason is for logs, not for the client. */
    record Rejected(String reason) implements AuthResult {
    }
}
