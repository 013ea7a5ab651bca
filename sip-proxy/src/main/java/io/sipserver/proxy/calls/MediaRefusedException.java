package io.sipserver.proxy.calls;

/**
 * The call's media cannot be set up: answered with {@code status} (488 for bandwidth, with RFC 3261 warning
 * 370; 503 when relay ports run out) and nothing is forwarded.
 */
public final class MediaRefusedException extends Exception {

    private final int status;
    private final String reason;
    private final int warningCode;

    public MediaRefusedException(int status, String reason, int warningCode, String detail) {
        super(detail);
        this.status = status;
        this.reason = reason;
        this.warningCode = warningCode;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** RFC 3261 warning code to add, or 0 for none. */
    public int warningCode() {
        return warningCode;
    }
}
