package io.sipserver.proxy.calls;

import java.time.Instant;
import java.util.Objects;

/**
 * The proxy's small record of one live call (dialog): identifiers, parties and state. Mutable fields are written
 * by SIP worker threads and read by the admin API, hence volatile.
 *
 * @param callId Call-ID of the dialog
 * @param fromTag the caller's tag
 * @param caller the caller's From URI
 * @param callee the address-of-record called
 * @param inviteBranch the top Via branch of the INVITE that started the call
 */
public final class CallRecord {

    private final String callId;
    private final String fromTag;
    private final String caller;
    private final String callee;
    private final String callerUser;
    private final String calleeUser;
    private final Instant startedAt;
    private final String inviteBranch;
    private volatile String toTag;
    private volatile CallState state = CallState.TRYING;
    private volatile Instant answeredAt;
    private volatile boolean acknowledged;
    private volatile String relaySessionId;
    private volatile double bandwidthKbps;
    private volatile CallLeg callerLeg;
    private volatile CallLeg calleeLeg;

    public CallRecord(String callId, String fromTag, String caller, String callee, String callerUser,
            String calleeUser, Instant startedAt, String inviteBranch) {
        this.callId = callId;
        this.fromTag = fromTag;
        this.caller = caller;
        this.callee = callee;
        this.callerUser = callerUser;
        this.calleeUser = calleeUser;
        this.startedAt = startedAt;
        this.inviteBranch = inviteBranch;
    }

    /** True when an INVITE with this From tag and top Via branch is (a retransmission of) the one that started the call. */
    public boolean startedBy(String inviteFromTag, String inviteViaBranch) {
        return inviteBranch != null && inviteBranch.equals(inviteViaBranch) && Objects.equals(fromTag, inviteFromTag);
    }

    public String callId() {
        return callId;
    }

    public String fromTag() {
        return fromTag;
    }

    public String toTag() {
        return toTag;
    }

    public String caller() {
        return caller;
    }

    public String callee() {
        return callee;
    }

    public String callerUser() {
        return callerUser;
    }

    public String calleeUser() {
        return calleeUser;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant answeredAt() {
        return answeredAt;
    }

    public CallState state() {
        return state;
    }

    /** Whether an ACK has passed in this call's dialog, i.e. its answer reached the caller. */
    public boolean acknowledged() {
        return acknowledged;
    }

    public void acknowledge() {
        acknowledged = true;
    }

    public String relaySessionId() {
        return relaySessionId;
    }

    public double bandwidthKbps() {
        return bandwidthKbps;
    }

    public CallLeg callerLeg() {
        return callerLeg;
    }

    public CallLeg calleeLeg() {
        return calleeLeg;
    }

    void early() {
        if (state == CallState.TRYING) {
            state = CallState.EARLY;
        }
    }

    void confirmed(String toTag, Instant at, CallLeg calleeLeg) {
        if (state != CallState.CONFIRMED) {
            this.toTag = toTag;
            this.answeredAt = at;
            this.calleeLeg = calleeLeg;
            this.state = CallState.CONFIRMED;
        }
    }

    public void relaySessionId(String id) {
        this.relaySessionId = id;
    }

    public void bandwidthKbps(double kbps) {
        this.bandwidthKbps = kbps;
    }

    public void callerLeg(CallLeg leg) {
        this.callerLeg = leg;
    }

    /** True when a message with this From tag was sent by the caller (rather than the callee). */
    public boolean isFromCaller(String tag) {
        return fromTag != null && fromTag.equals(tag);
    }
}
