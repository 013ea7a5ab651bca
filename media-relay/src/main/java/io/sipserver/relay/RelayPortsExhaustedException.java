package io.sipserver.relay;

/** No free port pair is left in {@code relay.port-min..relay.port-max}: the call must be refused (503). */
public class RelayPortsExhaustedException extends Exception {

    public RelayPortsExhaustedException(String message) {
        super(message);
    }
}
