package io.sipserver.relay;

/** The two sides of a relayed stream: {@link #A} faces the caller, {@link #B} the callee. */
public enum Side {
    A,
    B;

    /** The side this one relays to. */
    public Side other() {
        return this == A ? B : A;
    }
}
