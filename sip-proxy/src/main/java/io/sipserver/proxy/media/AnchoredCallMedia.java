package io.sipserver.proxy.media;

import io.sipserver.admission.AdmissionDecision;
import io.sipserver.admission.CallAdmission;
import io.sipserver.admission.CallParty;
import io.sipserver.config.RelayProperties;
import io.sipserver.proxy.calls.CallLeg;
import io.sipserver.proxy.calls.CallMedia;
import io.sipserver.proxy.calls.CallRecord;
import io.sipserver.proxy.calls.MediaRefusedException;
import io.sipserver.proxy.routing.Target;
import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.RelayPortsExhaustedException;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.SdpRewriter;
import io.sipserver.relay.Side;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media of proxied calls: bandwidth admission before anything is forwarded, then the call's media anchored on the
 * relay (its SDP rewritten so both parties send to relay ports, side A facing the caller, side B the callee).
 */
public final class AnchoredCallMedia implements CallMedia {

    private static final Logger log = LoggerFactory.getLogger(AnchoredCallMedia.class);

    /** RFC 3261 warning 370 text for a call refused for bandwidth. */
    static final String INSUFFICIENT_BANDWIDTH = "Insufficient bandwidth";

    private final MediaRelay relay;
    private final RelayProperties.Mode mode;
    private final SdpRewriter rewriter;
    private final CallAdmission admission;

    /** @param admission null when admission control is off */
    public AnchoredCallMedia(MediaRelay relay, RelayProperties.Mode mode, SdpRewriter rewriter,
            CallAdmission admission) {
        this.relay = relay;
        this.mode = mode;
        this.rewriter = rewriter;
        this.admission = admission;
    }

    @Override
    public String offer(CallRecord call, InetAddress callerSource, String callerContactHost, List<Target> targets,
            String sdp) throws MediaRefusedException {
        boolean relayed = shouldRelay(callerSource, callerContactHost, sdp, targets);
        if (admission != null) {
            List<CallParty> callees = new ArrayList<>();
            for (Target t : targets) {
                callees.add(new CallParty(t.user(), t.address()));
            }
            AdmissionDecision decision = admission.admit(call.callId(), new CallParty(call.callerUser(), callerSource),
                    callees, relayed, sdp);
            if (decision instanceof AdmissionDecision.Refused refused) {
                log.info("call {} refused: location {} needs {} kbps, {} available", call.callId(),
                        refused.location(), refused.neededKbps(), refused.availableKbps());
                throw new MediaRefusedException(488, "Not Acceptable Here", 370, INSUFFICIENT_BANDWIDTH);
            }
            call.bandwidthKbps(((AdmissionDecision.Admitted) decision).kbps());
        }
        if (!relayed) {
            return sdp;
        }
        RelaySession session;
        try {
            session = relay.create(call.callId());
        } catch (RelayPortsExhaustedException e) {
            if (admission != null) {
                admission.release(call.callId());
            }
            throw new MediaRefusedException(503, "Service Unavailable (no relay ports left)", 0, "relay ports exhausted");
        }
        call.relaySessionId(session.id());
        return rewrite(sdp, session, Side.A);
    }

    @Override
    public Answer answer(CallRecord call, Target target, String sdp, boolean confirmed) {
        String out = sdp;
        Optional<RelaySession> session = session(call);
        if (session.isPresent()) {
            out = rewriteUnchecked(sdp, session.get(), Side.B);
        }
        boolean accepted = true;
        if (confirmed && admission != null && sdp != null && target != null) {
            accepted = admission.onAnswer(call.callId(), new CallParty(call.calleeUser(), target.address()), sdp);
            call.bandwidthKbps(chargedKbps(call));
        }
        return new Answer(out, accepted);
    }

    @Override
    public String update(CallRecord call, boolean fromCaller, String sdp, boolean offer)
            throws MediaRefusedException {
        if (admission != null) {
            if (offer) {
                if (!admission.reoffer(call.callId(), sdp)) {
                    throw new MediaRefusedException(488, "Not Acceptable Here", 370, INSUFFICIENT_BANDWIDTH);
                }
            } else {
                CallParty callee = calleeParty(call);
                if (callee != null) {
                    admission.onAnswer(call.callId(), callee, sdp);
                }
            }
            call.bandwidthKbps(chargedKbps(call));
        }
        Optional<RelaySession> session = session(call);
        if (session.isEmpty()) {
            return sdp;
        }
        return rewrite(sdp, session.get(), fromCaller ? Side.A : Side.B);
    }

    @Override
    public void updateFailed(CallRecord call) {
        if (admission != null) {
            admission.reofferFailed(call.callId());
            call.bandwidthKbps(chargedKbps(call));
        }
    }

    @Override
    public void release(CallRecord call) {
        if (admission != null) {
            admission.release(call.callId());
        }
        String id = call.relaySessionId();
        if (id != null) {
            relay.release(id);
        }
    }

    /** What the call is charged now, summed over its locations (a plain loop: this runs for every answer). */
    private double chargedKbps(CallRecord call) {
        Optional<CallAdmission.CallUsage> usage = admission.call(call.callId());
        if (usage.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        for (double kbps : usage.get().kbpsByLocation().values()) {
            sum += kbps;
        }
        return sum;
    }

    private Optional<RelaySession> session(CallRecord call) {
        String id = call.relaySessionId();
        return id == null ? Optional.empty() : relay.find(id);
    }

    private String rewrite(String sdp, RelaySession session, Side from) throws MediaRefusedException {
        if (sdp == null) {
            return null;
        }
        try {
            return rewriter.rewrite(sdp, session, from, relay.advertisedAddress());
        } catch (RelayPortsExhaustedException e) {
            throw new MediaRefusedException(503, "Service Unavailable (no relay ports left)", 0, "relay ports exhausted");
        }
    }

    /** Rewrites an answer; an answer has no more m-lines than its offer, so it needs no new ports. */
    private String rewriteUnchecked(String sdp, RelaySession session, Side from) {
        try {
            return rewrite(sdp, session, from);
        } catch (MediaRefusedException e) {
            log.warn("answer of {} has more media than its offer: passed on unrelayed", session.callId());
            return sdp;
        }
    }

    private static CallParty calleeParty(CallRecord call) {
        CallLeg leg = call.calleeLeg();
        if (leg == null || leg.host() == null) {
            return null;
        }
        try {
            return new CallParty(call.calleeUser(), InetAddress.getByName(leg.host()));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** relay.mode: always, never, or nat-only (a party's source differs from its Contact or SDP, or is private). */
    private boolean shouldRelay(InetAddress callerSource, String callerContactHost, String sdp, List<Target> targets) {
        switch (mode) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            default:
                break;
        }
        if (isBehindNat(callerSource, callerContactHost) || isBehindNat(callerSource, SdpAddress.of(sdp))) {
            return true;
        }
        for (Target t : targets) {
            if (isBehindNat(t.address(), hostOf(t.requestUri()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBehindNat(InetAddress source, String declaredHost) {
        if (isPrivate(source)) {
            return true;
        }
        return declaredHost != null && !declaredHost.equals(source.getHostAddress());
    }

    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        boolean cgnat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        return a.isSiteLocalAddress() || cgnat;
    }

    private static String hostOf(String sipUri) {
        int at = sipUri.indexOf('@');
        int start = at >= 0 ? at + 1 : sipUri.indexOf(':') + 1;
        int end = start;
        while (end < sipUri.length() && ":;>?".indexOf(sipUri.charAt(end)) < 0) {
            end++;
        }
        return sipUri.substring(start, end);
    }
}
