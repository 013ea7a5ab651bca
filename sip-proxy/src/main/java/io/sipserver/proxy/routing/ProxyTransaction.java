package io.sipserver.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The proxy's state for one forwarded request: its server transaction, the branches sent (one client transaction
 * each), the serial groups not tried yet, and the best final response so far. Guarded by its own monitor; the
 * caller sends messages outside it.
 */
final class ProxyTransaction {

    final ServerTransaction serverTransaction;
    final Request original;
    final boolean invite;
    final ResponseHooks hooks;
    /** How every branch is built: Record-Route or not, the caller's transport, the loop-detection key. */
    final boolean recordRoute;
    final String inboundTransport;
    final String loopKey;
    final List<Branch> branches = new ArrayList<>();
    final List<List<Target>> remainingGroups;
    Response bestResponse;
    Integer bestStatus;
    boolean finalSent;
    boolean succeeded;
    boolean cancelled;

    ProxyTransaction(ServerTransaction serverTransaction, Request original, List<List<Target>> groups,
            ResponseHooks hooks, boolean recordRoute, String inboundTransport, String loopKey) {
        this.serverTransaction = serverTransaction;
        this.original = original;
        this.invite = Request.INVITE.equals(original.getMethod());
        this.hooks = hooks;
        this.recordRoute = recordRoute;
        this.inboundTransport = inboundTransport;
        this.loopKey = loopKey;
        this.remainingGroups = new ArrayList<>(groups);
    }

    /** True when no branch still waits for a final response. */
    boolean allBranchesFinal() {
        for (Branch b : branches) {
            if (!b.isFinal()) {
                return false;
            }
        }
        return true;
    }

    /** Branches that could still be cancelled (INVITE branches with no final response). */
    List<Branch> pendingBranches() {
        List<Branch> out = new ArrayList<>();
        for (Branch b : branches) {
            if (!b.isFinal()) {
                out.add(b);
            }
        }
        return out;
    }

    /** One forwarded copy of the request. */
    static final class Branch {
        final ProxyTransaction owner;
        final Target target;
        ClientTransaction clientTransaction;
        java.util.concurrent.ScheduledFuture<?> timerC;
        boolean provisionalSeen;
        boolean cancelRequested;
        int finalStatus;

        Branch(ProxyTransaction owner, Target target) {
            this.owner = owner;
            this.target = target;
        }

        boolean isFinal() {
            return finalStatus != 0;
        }
    }
}
