package io.sipserver.proxy.sip;

/**
 * A {@link RequestGuard} whose verdict on new work (an INVITE outside a dialog, a REGISTER) does not depend on the
 * request itself, except that a retransmission of a request the stack is already handling always passes. The UDP
 * reader asks it before anything is parsed, and refuses from the datagram's bytes ({@link RawRefusals}); the valve
 * asks {@link #check} about what the reader let through.
 */
public interface NewWorkGuard extends RequestGuard {

    /**
     * What a new INVITE or REGISTER that is not a retransmission gets now: {@link GuardVerdict#PASS} or a refusal.
     * Called by the UDP reader for every such datagram: it must be cheap, lock-free and allocation-free.
     */
    GuardVerdict newWorkVerdict();
}
