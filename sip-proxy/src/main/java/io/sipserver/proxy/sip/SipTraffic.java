package io.sipserver.proxy.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import javax.sip.message.Response;

/**
 * Where the SIP layer reports the messages it handles, for metrics. Called on the stack's threads for every
 * message, floods included: an implementation must be cheap, must not block and should not allocate.
 */
public interface SipTraffic {

    SipTraffic NONE = new SipTraffic() {
        @Override
        public void requestReceived(SIPRequest request) {
        }

        @Override
        public void responseReceived(SIPResponse response) {
        }

        @Override
        public void responseSent(Response response) {
        }

        @Override
        public void guardStopped(String guard, GuardVerdict verdict) {
        }

        @Override
        public void rawRequestReceived(String method) {
        }

        @Override
        public void rawResponseSent(String method, int status) {
        }
    };

    /** A request as parsed, before any check (retransmissions included). */
    void requestReceived(SIPRequest request);

    /** A response as parsed, before it is matched to a transaction (strays and retransmissions included). */
    void responseReceived(SIPResponse response);

    /** A response the server sent: its own answers and the ones it relays (not the stack's retransmissions). */
    void responseSent(Response response);

    /**
     * A {@link RequestGuard} stopped a request.
     *
     * @param guard the guard's {@link RequestGuard#name()}
     * @param verdict a refusal, or {@link GuardVerdict#DROP}
     */
    void guardStopped(String guard, GuardVerdict verdict);

    /** A request answered or dropped from its raw bytes, never parsed (see {@link RawRefusals}). */
    void rawRequestReceived(String method);

    /** A response written from a request's raw bytes: the method of its CSeq (the request's) and its status. */
    void rawResponseSent(String method, int status);
}
