package io.sipserver.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live bandwidth charged to each location, call by call.
 *
 * <p>A call's charges change all at once or not at all: the accounts of every location involved are locked in
 * name order (so two calls never deadlock), the increases are checked against each budget, then all are applied.
 * Each account has its own lock, held for a few arithmetic steps, so calls at different locations never wait for
 * each other. Amounts are kept in whole bit/s, so the invariant holds exactly: a location's usage is the sum of its
 * live calls' charges.
 *
 * <p>Reservations active at a location are pools inside its budget: a call may use the common pool (the budget
 * less the unused part of other owners' reservations) and the unused part of reservations owned by one of its
 * parties, which it draws from first. Giving bandwidth back returns the common part first.
 */
public final class BandwidthLedger {

    private static final long UNLIMITED = Long.MAX_VALUE;

    private final LocationLimits limits;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, CallCharges> calls = new ConcurrentHashMap<>();

    public BandwidthLedger(LocationLimits limits) {
        this.limits = limits;
    }

    /**
     * Charges a new call, all or nothing.
     *
     * @param owners the user names of the call's parties (for their reservations)
     * @param kbpsByLocation what to charge to each location
     * @throws IllegalStateException when the call is already charged
     */
    public AdmissionDecision reserve(String callId, Set<String> owners, Map<String, Double> kbpsByLocation) {
        CallCharges call = new CallCharges(owners);
        synchronized (call) {
            if (calls.putIfAbsent(callId, call) != null) {
                throw new IllegalStateException("call '" + callId + "' is already charged");
            }
            AdmissionDecision decision = setCharges(call, kbpsByLocation);
            if (!decision.admitted()) {
                call.closed = true;
                calls.remove(callId, call);
            }
            return decision;
        }
    }

    /**
     * Replaces a live call's charges, all or nothing: decreases always succeed, increases need room.
     *
     * @param owners the user names of the call's parties from now on
     * @throws NoSuchElementException when the call is not live
     */
    public AdmissionDecision adjust(String callId, Set<String> owners, Map<String, Double> kbpsByLocation) {
        CallCharges call = calls.get(callId);
        if (call == null) {
            throw notLive(callId);
        }
        synchronized (call) {
            if (call.closed) {
                throw notLive(callId);
            }
            Set<String> previousOwners = call.owners;
            call.owners = Set.copyOf(owners);
            AdmissionDecision decision = setCharges(call, kbpsByLocation);
            if (!decision.admitted()) {
                call.owners = previousOwners;
            }
            return decision;
        }
    }

    /** Gives back everything the call holds; idempotent. */
    public void release(String callId) {
        CallCharges call = calls.remove(callId);
        if (call == null) {
            return;
        }
        synchronized (call) {
            if (!call.closed) {
                call.closed = true;
                setCharges(call, Map.of());
            }
        }
    }

    /** What a live call holds, by location (empty when it is not live). */
    public Map<String, Double> chargesOf(String callId) {
        CallCharges call = calls.get(callId);
        if (call == null) {
            return Map.of();
        }
        synchronized (call) {
            Map<String, Double> charges = new HashMap<>();
            call.legs.forEach((location, leg) -> charges.put(location, leg.totalBps / 1000.0));
            return charges;
        }
    }

    public int liveCalls() {
        return calls.size();
    }

    /** The location's live usage, its active reservations and what is left to calls without a reservation. */
    public LocationUsage usage(String location) {
        Account account = account(location);
        account.lock.lock();
        try {
            account.refresh(limits);
            long reservedBps = 0;
            for (Pool pool : account.pools) {
                reservedBps += pool.amountBps;
            }
            Long budgetKbps = account.budgetBps == UNLIMITED ? null : account.budgetBps / 1000;
            Double availableKbps = budgetKbps == null ? null : Math.max(0, account.availableFor(Set.of())) / 1000.0;
            return new LocationUsage(location, budgetKbps, account.usedBps / 1000.0, reservedBps / 1000.0,
                    availableKbps);
        } finally {
            account.lock.unlock();
        }
    }

    /** kbps to the ledger's unit, whole bit/s. */
    static long toBps(double kbps) {
        if (!(kbps >= 0) || Double.isInfinite(kbps)) {
            throw new IllegalArgumentException("bandwidth must be a non-negative number of kbps; got " + kbps);
        }
        return Math.round(kbps * 1000);
    }

    private static NoSuchElementException notLive(String callId) {
        return new NoSuchElementException("call '" + callId + "' is not charged");
    }

    private Account account(String location) {
        return accounts.computeIfAbsent(location, Account::new);
    }

    /** Sets the call's charges to the target; the caller holds the call's monitor. */
    private AdmissionDecision setCharges(CallCharges call, Map<String, Double> kbpsByLocation) {
        TreeSet<String> names = new TreeSet<>(call.legs.keySet());
        names.addAll(kbpsByLocation.keySet());
        int n = names.size();
        Account[] touched = new Account[n];
        long[] wantedBps = new long[n];
        int i = 0;
        for (String name : names) {
            touched[i] = account(name);
            wantedBps[i] = toBps(kbpsByLocation.getOrDefault(name, 0.0));
            i++;
        }
        int locked = 0;
        try {
            for (; locked < n; locked++) {
                touched[locked].lock.lock();
            }
            for (i = 0; i < n; i++) {
                Account account = touched[i];
                account.refresh(limits);
                long increase = wantedBps[i] - call.legBps(account.name);
                if (increase > 0) {
                    long available = account.availableFor(call.owners);
                    if (increase > available) {
                        return new AdmissionDecision.Refused(account.name, increase / 1000.0,
                                Math.max(0, available) / 1000.0);
                    }
                }
            }
            long totalBps = 0;
            for (i = 0; i < n; i++) {
                touched[i].setLeg(call, wantedBps[i]);
                totalBps += wantedBps[i];
            }
            return new AdmissionDecision.Admitted(totalBps / 1000.0);
        } finally {
            while (locked > 0) {
                touched[--locked].lock.unlock();
            }
        }
    }

    /** One live call's charges; guarded by its own monitor. */
    private static final class CallCharges {
        private Set<String> owners;
        private final Map<String, Leg> legs = new HashMap<>(4);
        private boolean closed;

        CallCharges(Set<String> owners) {
            this.owners = Set.copyOf(owners);
        }

        long legBps(String location) {
            Leg leg = legs.get(location);
            return leg == null ? 0 : leg.totalBps;
        }
    }

    /** What one call holds at one location, and which reservations that came from. */
    private static final class Leg {
        private long totalBps;
        private final List<Draw> draws = new ArrayList<>(1);

        long drawnBps() {
            long sum = 0;
            for (Draw draw : draws) {
                sum += draw.bps;
            }
            return sum;
        }
    }

    private static final class Draw {
        private final Pool pool;
        private long bps;

        Draw(Pool pool, long bps) {
            this.pool = pool;
            this.bps = bps;
        }
    }

    /** An active reservation inside a location's budget, and how much of it live calls use. */
    private static final class Pool {
        private final String reservationId;
        private final String owner;
        private final long amountBps;
        private long usedBps;

        Pool(Reservation reservation) {
            this.reservationId = reservation.id();
            this.owner = reservation.owner();
            this.amountBps = toBps(reservation.bandwidthKbps());
        }

        long unusedBps() {
            return Math.max(0, amountBps - usedBps);
        }
    }

    /** One location's usage; every field is guarded by {@link #lock}. */
    private static final class Account {
        private final String name;
        private final ReentrantLock lock = new ReentrantLock();
        private long budgetBps = UNLIMITED;
        private long usedBps;
        private List<Reservation> syncedReservations = List.of();
        private List<Pool> pools = List.of();

        Account(String name) {
            this.name = name;
        }

        /** Picks up budget and reservation changes; a pool keeps its usage while its reservation stays active. */
        void refresh(LocationLimits limits) {
            Long budgetKbps = limits.budgetKbps(name);
            budgetBps = budgetKbps == null ? UNLIMITED : budgetKbps * 1000;
            List<Reservation> active = limits.activeReservations(name);
            if (active == syncedReservations) {
                return;
            }
            List<Pool> refreshed = new ArrayList<>(active.size());
            for (Reservation reservation : active) {
                Pool pool = pools.stream()
                        .filter(p -> p.reservationId.equals(reservation.id()))
                        .findFirst()
                        .orElseGet(() -> new Pool(reservation));
                refreshed.add(pool);
            }
            pools = List.copyOf(refreshed);
            syncedReservations = active;
        }

        /** What a call of these owners may still take here; may be negative when a budget was lowered. */
        long availableFor(Set<String> owners) {
            if (budgetBps == UNLIMITED) {
                return UNLIMITED;
            }
            long heldForOthers = 0;
            for (Pool pool : pools) {
                if (!owners.contains(pool.owner)) {
                    heldForOthers += pool.unusedBps();
                }
            }
            return budgetBps - usedBps - heldForOthers;
        }

        void setLeg(CallCharges call, long wantedBps) {
            Leg leg = call.legs.computeIfAbsent(name, location -> new Leg());
            long delta = wantedBps - leg.totalBps;
            if (delta > 0) {
                drawFromOwnReservations(call.owners, leg, delta);
            } else if (delta < 0) {
                giveBack(leg, -delta);
            }
            usedBps += delta;
            leg.totalBps = wantedBps;
            if (wantedBps == 0) {
                call.legs.remove(name);
            }
        }

        private void drawFromOwnReservations(Set<String> owners, Leg leg, long increaseBps) {
            long remaining = increaseBps;
            for (Pool pool : pools) {
                if (remaining == 0) {
                    break;
                }
                long take = Math.min(remaining, pool.unusedBps());
                if (take > 0 && owners.contains(pool.owner)) {
                    pool.usedBps += take;
                    leg.draws.add(new Draw(pool, take));
                    remaining -= take;
                }
            }
        }

        /** The common part goes back first: it is the part others can use. */
        private static void giveBack(Leg leg, long decreaseBps) {
            long fromReservations = decreaseBps - Math.min(decreaseBps, leg.totalBps - leg.drawnBps());
            for (int i = leg.draws.size() - 1; i >= 0 && fromReservations > 0; i--) {
                Draw draw = leg.draws.get(i);
                long back = Math.min(fromReservations, draw.bps);
                draw.bps -= back;
                draw.pool.usedBps -= back;
                fromReservations -= back;
                if (draw.bps == 0) {
                    leg.draws.remove(i);
                }
            }
        }
    }
}
