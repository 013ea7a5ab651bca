package io.sipserver.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Builds REGISTER requests for tests: alice from 198.51.100.7:5062 over UDP unless said otherwise. */
public final class Registers {

    public static final String ALICE = "sip:alice@example.com";

    private Registers() {
    }

    public static RegisterRequest register(String aor, String callId, long cseq, Integer expiresHeader,
            ContactSpec... contacts) {
        return new RegisterRequest(aor, false, List.of(contacts), expiresHeader, callId, cseq, "198.51.100.7", 5062,
                "UDP", "baresip");
    }

    public static RegisterRequest wildcard(String aor, String callId, long cseq, Integer expiresHeader,
            ContactSpec... others) {
        return new RegisterRequest(aor, true, List.of(others), expiresHeader, callId, cseq, "198.51.100.7", 5062,
                "UDP", "baresip");
    }

    public static ContactSpec contact(String uri) {
        return new ContactSpec(uri, null, null);
    }

    public static ContactSpec contact(String uri, Integer expires, Float q) {
        return new ContactSpec(uri, expires, q);
    }

    /** The bindings of a 200 OK, failing the test on any other outcome. */
    public static List<Binding> ok(CompletableFuture<RegisterOutcome> outcome) {
        RegisterOutcome o = outcome.join();
        assertThat(o).isInstanceOf(RegisterOutcome.Ok.class);
        return ((RegisterOutcome.Ok) o).bindings();
    }
}
