package io.sipserver.admission;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Call admission control on bandwidth: the facade the proxy calls along a call's life.
 *
 * <p>Charging follows the media. With the relay in the path each leg (endpoint - relay) is charged to its
 * endpoint's location, so a relayed call inside one site costs that site twice. Without the relay, a call between
 * two locations is charged to both and a call inside one location costs nothing. While ringing, a forked call holds
 * one callee leg per distinct callee location; the answer shrinks it to the answering branch and the negotiated
 * codec.
 *
 * <p>All operations on one call are serialised; operations on different calls only meet on the ledger's
 * per-location accounts. Nothing here reads the database.
 */
public final class CallAdmission {

    /** Everything about a live call needed to recompute its charges; guarded by its own monitor. */
    private static final class CallState {
        private final String callerLocation;
        private final String callerUser;
        private final boolean relayed;
        private final Instant admittedAt;
        private Collection<CallParty> callees;
        /** What one leg of the call costs now, per direction. */
        private double streamKbps;
        /** The next SDP passed to onAnswer is an offer (INVITE or re-INVITE without SDP). */
        private boolean awaitingOffer;
        /** Charges before a re-INVITE raised them, restored when the re-INVITE fails. */
        private Map<String, Double> chargesBeforeReoffer;
        private double streamKbpsBeforeReoffer;
        private boolean released;

        CallState(String callerLocation, String callerUser, boolean relayed, Instant admittedAt,
                  Collection<CallParty> callees, double streamKbps, boolean awaitingOffer) {
            this.callerLocation = callerLocation;
            this.callerUser = callerUser;
            this.relayed = relayed;
            this.admittedAt = admittedAt;
            this.callees = callees;
            this.streamKbps = streamKbps;
            this.awaitingOffer = awaitingOffer;
        }
    }

    /**
     * A live call's charges, for the calls view and for reconciling against the proxy's dialogs.
     *
     * @param kbpsByLocation what the call holds at each location
     */
    public record CallUsage(String callId, Map<String, Double> kbpsByLocation, Instant admittedAt) {
    }

    private final BandwidthModel model;
    private final LocationDirectory locations;
    private final BandwidthLedger ledger;
    private final Clock clock;
    private final Map<String, CallState> calls = new ConcurrentHashMap<>();
    private final LongAdder admittedCalls = new LongAdder();
    private final LongAdder refusedCalls = new LongAdder();

    /**
     * @param ledger built on the same directory and the reservation book:
     *     {@code new BandwidthLedger(LocationLimits.of(locations, reservations))}
     */
    public CallAdmission(BandwidthModel model, LocationDirectory locations, BandwidthLedger ledger, Clock clock) {
        this.model = model;
        this.locations = locations;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Checks an initial INVITE and charges it when it fits. A call that is already live (a retransmission or a
     * spiral) is not charged again.
     *
     * @param calleeBranches the contacts the INVITE is forked to
     * @param relayed whether the media relay is in the media path
     * @param offerSdp the INVITE's SDP; null or blank for a late offer (charged when {@link #onAnswer} brings it)
     * @throws IllegalArgumentException when the SDP is not valid (the proxy answers 400)
     */
    public AdmissionDecision admit(String callId, CallParty caller, List<CallParty> calleeBranches, boolean relayed,
                                   String offerSdp) {
        if (!model.properties().enabled()) {
            return new AdmissionDecision.Admitted(0);
        }
        boolean lateOffer = offerSdp == null || offerSdp.isBlank();
        double kbps = lateOffer ? 0 : model.offerKbps(offerSdp);
        CallState call = new CallState(locations.locationOf(caller.source()), caller.user(), relayed, clock.instant(),
                List.copyOf(calleeBranches), kbps, lateOffer);
        synchronized (call) {
            CallState existing = calls.putIfAbsent(callId, call);
            if (existing != null) {
                return new AdmissionDecision.Admitted(total(ledger.chargesOf(callId)));
            }
            AdmissionDecision decision = ledger.reserve(callId, owners(call), charges(call, kbps));
            if (decision.admitted()) {
                admittedCalls.increment();
            } else {
                calls.remove(callId, call);
                refusedCalls.increment();
            }
            return decision;
        }
    }

    /**
     * The 2xx to the INVITE (or to a re-INVITE): shrinks the call's charges to the answering branch's location and
     * the negotiated codec (the first of each m-line). After a late offer the SDP given here is that offer, and the
     * call is charged for it (its most expensive codec).
     *
     * @param answerSdp the 2xx's SDP; null or blank keeps the bandwidth and only drops the other branches
     * @return false when the call now needs more than it holds and that does not fit (its charges are unchanged;
     *     after a late offer, a reason to end the call); true otherwise, also for a call that is not live
     * @throws IllegalArgumentException when the SDP is not valid (charges unchanged)
     */
    public boolean onAnswer(String callId, CallParty answeringCallee, String answerSdp) {
        CallState call = calls.get(callId);
        if (call == null) {
            return true;
        }
        synchronized (call) {
            if (call.released) {
                return true;
            }
            boolean hasSdp = answerSdp != null && !answerSdp.isBlank();
            Collection<CallParty> answered = List.of(answeringCallee);
            double kbps;
            if (!hasSdp) {
                kbps = call.streamKbps;
            } else if (call.awaitingOffer) {
                kbps = model.offerKbps(answerSdp);
            } else {
                kbps = model.answerKbps(answerSdp);
            }
            Collection<CallParty> previousCallees = call.callees;
            call.callees = answered;
            AdmissionDecision decision = ledger.adjust(callId, owners(call), charges(call, kbps));
            if (!decision.admitted()) {
                call.callees = previousCallees;
                return false;
            }
            call.streamKbps = kbps;
            if (hasSdp) {
                call.awaitingOffer = false;
            }
            call.chargesBeforeReoffer = null;
            return true;
        }
    }

    /**
     * A re-INVITE's offer: when its bandwidth fits, the call holds the larger of the old and the new charges until
     * {@link #onAnswer} shrinks them (or {@link #reofferFailed} restores the old ones).
     *
     * @param offerSdp the re-INVITE's SDP; null or blank when the offer will come in the 2xx (then charged by
     *     {@link #onAnswer})
     * @return false when the increase does not fit: the proxy answers 488 and nothing changed
     * @throws IllegalArgumentException when the SDP is not valid
     */
    public boolean reoffer(String callId, String offerSdp) {
        CallState call = calls.get(callId);
        if (call == null) {
            return true;
        }
        synchronized (call) {
            if (call.released) {
                return true;
            }
            if (offerSdp == null || offerSdp.isBlank()) {
                call.awaitingOffer = true;
                return true;
            }
            double kbps = model.offerKbps(offerSdp);
            Map<String, Double> current = ledger.chargesOf(callId);
            Map<String, Double> larger = new HashMap<>(current);
            charges(call, kbps).forEach((location, charge) -> larger.merge(location, charge, Math::max));
            AdmissionDecision decision = ledger.adjust(callId, owners(call), larger);
            if (!decision.admitted()) {
                return false;
            }
            if (call.chargesBeforeReoffer == null) {
                call.chargesBeforeReoffer = current;
                call.streamKbpsBeforeReoffer = call.streamKbps;
            }
            call.streamKbps = Math.max(call.streamKbps, kbps);
            return true;
        }
    }

    /** The re-INVITE failed (non-2xx, timeout): the call goes back to the charges it had before it. */
    public void reofferFailed(String callId) {
        CallState call = calls.get(callId);
        if (call == null) {
            return;
        }
        synchronized (call) {
            call.awaitingOffer = false;
            if (!call.released && call.chargesBeforeReoffer != null) {
                ledger.adjust(callId, owners(call), call.chargesBeforeReoffer);
                call.streamKbps = call.streamKbpsBeforeReoffer;
                call.chargesBeforeReoffer = null;
            }
        }
    }

    /** Gives back everything the call holds (BYE, CANCEL, failure, timeouts, shutdown); idempotent. */
    public void release(String callId) {
        CallState call = calls.remove(callId);
        if (call == null) {
            return;
        }
        synchronized (call) {
            call.released = true;
            ledger.release(callId);
        }
    }

    /** Every location's live usage, by name. */
    public Map<String, LocationUsage> usage() {
        Map<String, LocationUsage> usage = new LinkedHashMap<>();
        for (Location location : locations.list()) {
            usage.put(location.name(), ledger.usage(location.name()));
        }
        return usage;
    }

    /** One location's live usage (zero usage for a name that is not a location). */
    public LocationUsage usage(String location) {
        return ledger.usage(location);
    }

    public int liveCalls() {
        return calls.size();
    }

    /** The live calls with their charges. */
    public List<CallUsage> calls() {
        List<CallUsage> live = new ArrayList<>(calls.size());
        calls.forEach((callId, call) -> live.add(new CallUsage(callId, ledger.chargesOf(callId), call.admittedAt)));
        return live;
    }

    public Optional<CallUsage> call(String callId) {
        CallState call = calls.get(callId);
        return call == null ? Optional.empty()
                : Optional.of(new CallUsage(callId, ledger.chargesOf(callId), call.admittedAt));
    }

    /** Calls admitted since start. */
    public long admittedCalls() {
        return admittedCalls.sum();
    }

    /** Calls refused for want of bandwidth since start. */
    public long refusedCalls() {
        return refusedCalls.sum();
    }

    private Map<String, Double> charges(CallState call, double kbps) {
        Map<String, Double> charges = new HashMap<>(4);
        if (kbps == 0) {
            return charges;
        }
        Set<String> calleeLocations = new LinkedHashSet<>();
        for (CallParty callee : call.callees) {
            calleeLocations.add(locations.locationOf(callee.source()));
        }
        if (call.relayed) {
            charges.put(call.callerLocation, kbps);
            calleeLocations.forEach(location -> charges.merge(location, kbps, Double::sum));
        } else {
            calleeLocations.remove(call.callerLocation);
            if (!calleeLocations.isEmpty()) {
                charges.put(call.callerLocation, kbps);
                calleeLocations.forEach(location -> charges.put(location, kbps));
            }
        }
        return charges;
    }

    private static Set<String> owners(CallState call) {
        Set<String> owners = new HashSet<>(4);
        if (call.callerUser != null) {
            owners.add(call.callerUser);
        }
        for (CallParty callee : call.callees) {
            if (callee.user() != null) {
                owners.add(callee.user());
            }
        }
        return owners;
    }

    private static double total(Map<String, Double> charges) {
        return charges.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
