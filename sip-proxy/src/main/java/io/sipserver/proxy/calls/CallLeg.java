package io.sipserver.proxy.calls;

/**
 * How the proxy reaches one party of a call on its own (to send BYE when media times out): the party's Contact
 * and the address and transport its messages came from.
 */
public record CallLeg(String contact, String host, int port, String transport) {
}
