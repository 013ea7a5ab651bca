package io.sipserver.proxy.calls;

import io.sipserver.proxy.routing.Target;
import java.net.InetAddress;
import java.util.List;

/**
 * The media side of a call: bandwidth admission and the relay's SDP rewriting. Each method gets the SDP of one
 * message and returns the SDP to forward in its place.
 */
public interface CallMedia {

    /**
     * The initial INVITE's offer (null for a late offer): checks bandwidth for every budget the call touches and
     * anchors the media on the relay.
     *
     * @param callerContactHost host of the caller's Contact (NAT detection)
     */
    String offer(CallRecord call, InetAddress callerSource, String callerContactHost, List<Target> targets, String sdp)
            throws MediaRefusedException;

    /**
     * SDP in a response to the initial INVITE (18x or 2xx) from {@code target}; on the 2xx ({@code confirmed}) the
     * bandwidth shrinks to the negotiated codec. Returns false in {@link Answer#accepted()} when a late offer in
     * the 2xx does not fit the budget (the call must then be ended).
     */
    Answer answer(CallRecord call, Target target, String sdp, boolean confirmed);

    /**
     * SDP of an in-dialog message: a re-INVITE / UPDATE offer ({@code offer} true, may be refused), or its answer,
     * or the ACK's answer to a late offer.
     */
    String update(CallRecord call, boolean fromCaller, String sdp, boolean offer) throws MediaRefusedException;

    /** A re-INVITE / UPDATE offer failed (non-2xx): the call's media goes back to what it was before it. */
    void updateFailed(CallRecord call);

    /** The call ended: release its bandwidth and relay session. Idempotent. */
    void release(CallRecord call);

    /** SDP to forward and whether the answer was admitted. */
    record Answer(String sdp, boolean accepted) {
    }

    /** No media handling at all (relay never, admission off). */
    CallMedia NONE = new CallMedia() {
        @Override
        public String offer(CallRecord call, InetAddress callerSource, String callerContactHost, List<Target> targets,
                String sdp) {
            return sdp;
        }

        @Override
        public Answer answer(CallRecord call, Target target, String sdp, boolean confirmed) {
            return new Answer(sdp, true);
        }

        @Override
        public String update(CallRecord call, boolean fromCaller, String sdp, boolean offer) {
            return sdp;
        }

        @Override
        public void updateFailed(CallRecord call) {
        }

        @Override
        public void release(CallRecord call) {
        }
    };
}
