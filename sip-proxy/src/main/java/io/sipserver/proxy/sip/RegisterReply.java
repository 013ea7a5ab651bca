package io.sipserver.proxy.sip;

import io.sipserver.registrar.Binding;
import io.sipserver.registrar.RegisterOutcome;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a REGISTER is answered once the registrar is done with it: the one mapping from its outcome (or its failure)
 * to a response, for the request pipeline's answer and for the UDP listening point's ({@link RawRegistrations}).
 *
 * @param status the status code
 * @param reason the reason phrase, or null for RFC 3261's
 * @param bindings every current binding of the address-of-record (200 only, else empty)
 * @param minExpires the Min-Expires of a 423, else 0
 * @param retryAfterSeconds the Retry-After, none when 0
 */
public record RegisterReply(int status, String reason, List<Binding> bindings, int minExpires,
        int retryAfterSeconds) {

    private static final Logger log = LoggerFactory.getLogger(RegisterReply.class);

    /** When a phone refused because the registrar is busy should try again. */
    static final int BUSY_RETRY_AFTER_SECONDS = 5;

    /**
     * The reply to a REGISTER for {@code aor} whose registrar call ended with {@code outcome}, or failed with
     * {@code error}.
     */
    public static RegisterReply of(String aor, RegisterOutcome outcome, Throwable error) {
        if (error != null) {
            if (unwrap(error) instanceof RejectedExecutionException) {
                // The database writer is saturated: ask the phone to come back instead of queueing.
                return refusal(503, "Service Unavailable (registrar busy)", BUSY_RETRY_AFTER_SECONDS);
            }
            log.warn("REGISTER for {} not stored: {}", aor, error.toString());
            return refusal(500, "Server Internal Error (binding not stored)", 0);
        }
        if (outcome instanceof RegisterOutcome.Ok ok) {
            return new RegisterReply(200, null, ok.bindings(), 0, 0);
        }
        if (outcome instanceof RegisterOutcome.IntervalTooBrief brief) {
            return new RegisterReply(423, "Interval Too Brief", List.of(), brief.minExpires(), 0);
        }
        if (outcome instanceof RegisterOutcome.TooManyContacts many) {
            return refusal(503, "Service Unavailable (at most " + many.max() + " contacts per AOR)", 0);
        }
        if (outcome instanceof RegisterOutcome.BadRequest bad) {
            return refusal(400, SipMessages.reasonPhrase("Bad Request", bad.reason()), 0);
        }
        throw new IllegalStateException("unknown registrar outcome " + outcome);
    }

    private static RegisterReply refusal(int status, String reason, int retryAfterSeconds) {
        return new RegisterReply(status, reason, List.of(), 0, retryAfterSeconds);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
