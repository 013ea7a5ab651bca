package io.sipserver.proxy.sip;

/**
 * What a {@link RequestGuard} decided: pass the request on, drop it silently, or refuse it statelessly with a
 * status code (and a Retry-After when positive). Guards keep their verdicts in constants, so deciding allocates
 * nothing.
 */
public final class GuardVerdict {

    public static final GuardVerdict PASS = new GuardVerdict(0, 0, null);
    public static final GuardVerdict DROP = new GuardVerdict(0, 0, null);

    private final int status;
    private final int retryAfterSeconds;
    private final String reason;

    private GuardVerdict(int status, int retryAfterSeconds, String reason) {
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.reason = reason;
    }

    /** Refuse with this status; {@code retryAfterSeconds > 0} adds a Retry-After header. */
    public static GuardVerdict refuse(int status, int retryAfterSeconds, String reason) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("a refusal needs a final non-2xx status: " + status);
        }
        return new GuardVerdict(status, retryAfterSeconds, reason);
    }

    public boolean passes() {
        return this == PASS;
    }

    /** 0 for PASS and DROP. */
    public int status() {
        return status;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Reason phrase of the refusal, or null for the status code's standard one. */
    public String reason() {
        return reason;
    }
}
