package io.sipserver.proxy.routing;

import javax.sip.message.Response;

/**
 * What the call layer does with the responses of a forwarded request: rewrite their SDP for the relay, charge or
 * release bandwidth, keep the dialog record. Runs on SIP worker threads; must not block.
 */
public interface ResponseHooks {

    /** A provisional (101-199) response about to be relayed to the caller. */
    default void onProvisional(Target target, Response response) {
    }

    /**
     * A 2xx about to be relayed to the caller. Returning false refuses the answer (admission): the proxy then
     * relays it anyway, since the callee's dialog exists, and the hook is expected to end the call.
     */
    default void onSuccess(Target target, Response response) {
    }

    /** The request failed: {@code status} is the final response sent to the caller (or 487 / 408). */
    default void onFailure(int status) {
    }

    ResponseHooks NONE = new ResponseHooks() {
    };
}
