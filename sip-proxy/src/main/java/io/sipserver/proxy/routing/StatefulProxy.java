package io.sipserver.proxy.routing;

import gov.nist.javax.sip.message.SIPResponse;
import io.sipserver.proxy.routing.ProxyTransaction.Branch;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.proxy.sip.TargetRouter;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.address.Hop;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 section 16 stateful forwarding: one server transaction paired with a client transaction per branch,
 * parallel forking within a q-value group and serial across groups, best-response selection, CANCEL of the other
 * branches on a 2xx (or on the caller's CANCEL), and Timer C. Forwarded INVITEs without a final response are
 * tracked, so that a shutdown can answer them ({@link #abortPendingInvites}).
 */
public final class StatefulProxy {

    private static final Logger log = LoggerFactory.getLogger(StatefulProxy.class);

    /** After the caller's CANCEL, how long branches get to answer 487 before the proxy answers it itself. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(4);

    /** Branch prefix of requests forwarded statelessly; stateful branches never have it ({@link SipMessages#newBranch}). */
    private static final String STATELESS_BRANCH = SipMessages.BRANCH_COOKIE + "s";

    private final SipProvider provider;
    private final SipMessages sip;
    private final ScheduledExecutorService timers;
    private final Duration timerC;
    private final Consumer<Response> retransmittedAnswer;
    private final Set<ProxyTransaction> pendingInvites = ConcurrentHashMap.newKeySet();

    /**
     * @param retransmittedAnswer adjusts a 2xx retransmission that arrives after its transaction ended (its SDP
     *     must be rewritten like the first copy's) before it is relayed statelessly
     */
    public StatefulProxy(SipProvider provider, SipMessages sip, ScheduledExecutorService timers, Duration timerC,
            Consumer<Response> retransmittedAnswer) {
        this.provider = provider;
        this.sip = sip;
        this.timers = timers;
        this.timerC = timerC;
        this.retransmittedAnswer = retransmittedAnswer;
    }

    /**
     * Forwards {@code request} (already checked, its own Route entries removed) to each target: the first group in
     * parallel, the next group only when the previous one failed.
     *
     * @param recordRoute add Record-Route so that the dialog's requests come back through the proxy
     * @param loopKey carried in the branch parameter so that a looping copy is recognised (482)
     */
    public void forward(ServerTransaction st, Request request, List<List<Target>> groups, boolean recordRoute,
            String inboundTransport, String loopKey, ResponseHooks hooks) {
        ProxyTransaction px = new ProxyTransaction(st, request, groups, hooks, recordRoute, inboundTransport, loopKey);
        st.setApplicationData(px);
        if (px.invite) {
            pendingInvites.add(px);
        }
        startNextGroup(px);
    }

    /**
     * Forwards an in-dialog request statefully to where its Request-URI (or remaining Route) points, as the
     * stack's RFC 3261 router decides.
     */
    public void forwardInDialog(ServerTransaction st, Request request, ResponseHooks hooks) {
        ProxyTransaction px = new ProxyTransaction(st, request, List.of(), hooks, false, "", "");
        st.setApplicationData(px);
        Branch branch = new Branch(px, null);
        synchronized (px) {
            px.branches.add(branch);
        }
        Request out = (Request) request.clone();
        sip.decrementMaxForwards(out);
        try {
            Hop hop = nextHop(out);
            send(branch, out, hop.getTransport(), "");
        } catch (javax.sip.SipException e) {
            log.info("no route for in-dialog {}: {}", request.getMethod(), e.toString());
            onFinalFailure(branch, 404, null);
        }
    }

    /**
     * Forwards an in-dialog request without transactions (RFC 3261 16.11): an ACK for a 2xx, which has none, and
     * non-INVITE requests that arrived over UDP, whose client retransmits them itself until it has an answer (the
     * answers come back as strays, {@link #forwardStrayResponse}). That spares a server and a client transaction,
     * their timers and their 5 s in the tables (Timers J and K) for each BYE. The request itself is changed and
     * sent, not a copy: no transaction holds it, and nothing reads it afterwards.
     *
     * @throws NoRouteException when the stack's router finds no next hop
     * @throws javax.sip.SipException when it cannot be sent
     */
    public void forwardStateless(Request request, String incomingBranch) throws javax.sip.SipException {
        sip.decrementMaxForwards(request);
        Hop hop;
        try {
            hop = nextHop(request);
        } catch (javax.sip.SipException e) {
            throw new NoRouteException(e.getMessage());
        }
        // A stateless proxy's branch must be the same for retransmissions of the same request (RFC 3261 16.11).
        String branch = STATELESS_BRANCH + Integer.toHexString(incomingBranch.hashCode());
        request.addFirst(sip.via(hop.getTransport(), branch));
        try {
            provider.sendRequest(request);
        } catch (javax.sip.SipException e) {
            // The caller may answer the request: not with our Via on top.
            request.removeFirst(ViaHeader.NAME);
            throw e;
        }
    }

    /** No next hop for a request. */
    public static final class NoRouteException extends javax.sip.SipException {
        private static final long serialVersionUID = 1L;

        NoRouteException(String message) {
            super(message);
        }
    }

    /** The caller's CANCEL for the INVITE behind {@code inviteSt}: cancels every pending branch. */
    public boolean cancel(ServerTransaction inviteSt) {
        if (!(inviteSt.getApplicationData() instanceof ProxyTransaction px)) {
            return false;
        }
        List<Branch> toCancel;
        synchronized (px) {
            if (px.finalSent || px.cancelled) {
                return true;
            }
            px.cancelled = true;
            px.remainingGroups.clear();
            toCancel = px.pendingBranches();
        }
        toCancel.forEach(this::cancelBranch);
        timers.schedule(() -> finishIfCancelled(px), CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /** A response from downstream. */
    public void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null || !(ct.getApplicationData() instanceof Branch branch)) {
            forwardStrayResponse(response);
            return;
        }
        NatContact.fix(response, ((SIPResponse) response).getRemoteAddress(),
                ((SIPResponse) response).getRemotePort(), sip);
        int status = response.getStatusCode();
        if (status < 200) {
            onProvisional(branch, response);
        } else if (status < 300) {
            onSuccess(branch, response);
        } else {
            onFinalFailure(branch, status, response);
        }
    }

    /** A client transaction timed out (no response): the branch counts as 408. */
    public void onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        if (event.getClientTransaction().getApplicationData() instanceof Branch branch) {
            onFinalFailure(branch, 408, null);
        }
    }

    private void onProvisional(Branch branch, Response response) {
        ProxyTransaction px = branch.owner;
        boolean sendCancel;
        boolean relay;
        synchronized (px) {
            boolean first = !branch.provisionalSeen;
            branch.provisionalSeen = true;
            sendCancel = first && branch.cancelRequested && !branch.isFinal();
            relay = response.getStatusCode() > 100 && !px.finalSent && !branch.isFinal();
            if (px.invite && !branch.isFinal()) {
                restartTimerC(branch);
            }
        }
        if (sendCancel) {
            sendCancel(branch);
        }
        if (relay) {
            px.hooks.onProvisional(branch.target, response);
            relayResponse(px, response);
        }
    }

    private void onSuccess(Branch branch, Response response) {
        ProxyTransaction px = branch.owner;
        List<Branch> others;
        synchronized (px) {
            branch.finalStatus = response.getStatusCode();
            stopTimerC(branch);
            px.succeeded = true;
            px.finalSent = true;
            px.remainingGroups.clear();
            others = px.pendingBranches();
        }
        pendingInvites.remove(px);
        if (px.invite) {
            others.forEach(this::cancelBranch);
        }
        px.hooks.onSuccess(branch.target, response);
        relayResponse(px, response);
    }

    private void onFinalFailure(Branch branch, int status, Response response) {
        ProxyTransaction px = branch.owner;
        List<Branch> toCancel = List.of();
        boolean nextGroup = false;
        boolean sendBest = false;
        synchronized (px) {
            if (branch.isFinal()) {
                return;
            }
            branch.finalStatus = status;
            stopTimerC(branch);
            if (BestResponse.isBetter(status, px.bestStatus)) {
                px.bestStatus = status;
                px.bestResponse = response;
            }
            if (status >= 600 && px.invite) {
                px.remainingGroups.clear();
                toCancel = px.pendingBranches();
            }
            if (px.allBranchesFinal() && !px.finalSent) {
                if (!px.remainingGroups.isEmpty() && !px.cancelled) {
                    nextGroup = true;
                } else {
                    px.finalSent = true;
                    sendBest = true;
                }
            }
        }
        toCancel.forEach(this::cancelBranch);
        if (nextGroup) {
            startNextGroup(px);
        } else if (sendBest) {
            sendFinalFailure(px);
        }
    }

    private void startNextGroup(ProxyTransaction px) {
        List<Target> group;
        List<Branch> started = new ArrayList<>();
        synchronized (px) {
            if (px.remainingGroups.isEmpty()) {
                return;
            }
            group = px.remainingGroups.remove(0);
            for (Target t : group) {
                Branch b = new Branch(px, t);
                px.branches.add(b);
                started.add(b);
            }
        }
        for (Branch b : started) {
            try {
                Request out = (Request) px.original.clone();
                out.setRequestURI(sip.addresses().createURI(b.target.requestUri()));
                sip.decrementMaxForwards(out);
                if (px.recordRoute) {
                    out.addFirst(sip.recordRoute(px.inboundTransport));
                    if (!px.inboundTransport.equalsIgnoreCase(b.target.transport())) {
                        // Double Record-Route (RFC 5658) so each side reaches us over its own transport.
                        out.addFirst(sip.recordRoute(b.target.transport()));
                    }
                }
                TargetRouter.sendTo(out, SipMessages.hop(b.target.host(), b.target.port(), b.target.transport()));
                send(b, out, b.target.transport(), px.loopKey);
            } catch (ParseException | javax.sip.SipException e) {
                log.info("cannot forward to {}: {}", b.target.requestUri(), e.toString());
                onFinalFailure(b, 500, null);
            }
        }
    }

    private void send(Branch branch, Request out, String transport, String loopKey) {
        ProxyTransaction px = branch.owner;
        try {
            out.addFirst(sip.via(transport, SipMessages.newBranch(loopKey)));
            ClientTransaction ct = provider.getNewClientTransaction(out);
            ct.setApplicationData(branch);
            synchronized (px) {
                branch.clientTransaction = ct;
                if (px.invite) {
                    restartTimerC(branch);
                }
            }
            ct.sendRequest();
        } catch (Exception e) {
            log.info("cannot send {} to {}: {}", out.getMethod(), out.getRequestURI(), e.toString());
            onFinalFailure(branch, px.invite ? 480 : 408, null);
        }
    }

    private void restartTimerC(Branch branch) {
        stopTimerC(branch);
        branch.timerC = timers.schedule(() -> onTimerC(branch), timerC.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void stopTimerC(Branch branch) {
        if (branch.timerC != null) {
            branch.timerC.cancel(false);
            branch.timerC = null;
        }
    }

    private void onTimerC(Branch branch) {
        boolean cancel;
        synchronized (branch.owner) {
            if (branch.isFinal()) {
                return;
            }
            cancel = branch.provisionalSeen;
        }
        log.debug("Timer C fired for {}", branch.target == null ? "in-dialog branch" : branch.target.requestUri());
        if (cancel) {
            cancelBranch(branch);
        }
        onFinalFailure(branch, 408, null);
    }

    private void cancelBranch(Branch branch) {
        boolean now;
        synchronized (branch.owner) {
            if (branch.isFinal() || branch.cancelRequested || !branch.owner.invite) {
                return;
            }
            branch.cancelRequested = true;
            // A CANCEL may only follow a provisional response (RFC 3261 9.1); otherwise it goes when one arrives.
            now = branch.provisionalSeen && branch.clientTransaction != null;
        }
        if (now) {
            sendCancel(branch);
        }
    }

    private void sendCancel(Branch branch) {
        try {
            Request cancel = branch.clientTransaction.createCancel();
            provider.getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            log.debug("CANCEL not sent: {}", e.toString());
        }
    }

    private void finishIfCancelled(ProxyTransaction px) {
        synchronized (px) {
            if (px.finalSent) {
                return;
            }
            px.finalSent = true;
        }
        sendFinalFailure(px);
    }

    /**
     * Ends every forwarded INVITE still without a final response (shutdown): cancels its pending branches and
     * answers the caller with {@code status}, {@code reason} and a Retry-After. Returns how many were answered.
     */
    public int abortPendingInvites(int status, String reason, int retryAfterSeconds) {
        int answered = 0;
        for (ProxyTransaction px : List.copyOf(pendingInvites)) {
            List<Branch> toCancel;
            synchronized (px) {
                if (px.finalSent) {
                    continue;
                }
                px.finalSent = true;
                px.remainingGroups.clear();
                toCancel = px.pendingBranches();
            }
            toCancel.forEach(this::cancelBranch);
            sendFinal(px, status, sip.response(px.original, status, reason, retryAfterSeconds));
            answered++;
        }
        return answered;
    }

    private void sendFinalFailure(ProxyTransaction px) {
        Response out;
        int status;
        if (px.cancelled) {
            status = 487;
            out = sip.response(px.original, 487, "Request Terminated");
        } else if (px.bestResponse != null && px.bestStatus == BestResponse.forUpstream(px.bestStatus)) {
            status = px.bestStatus;
            out = withoutOwnVia(px.bestResponse);
        } else {
            status = px.bestStatus == null ? 408 : BestResponse.forUpstream(px.bestStatus);
            out = sip.response(px.original, status, null);
        }
        sendFinal(px, status, out);
    }

    /** The final non-2xx to the caller; the transaction is no longer pending. */
    private void sendFinal(ProxyTransaction px, int status, Response out) {
        pendingInvites.remove(px);
        px.hooks.onFailure(status);
        try {
            sip.send(px.serverTransaction, out);
        } catch (Exception e) {
            log.debug("final {} not delivered to the caller: {}", status, e.toString());
        }
    }

    private void relayResponse(ProxyTransaction px, Response response) {
        Response out = withoutOwnVia(response);
        try {
            sip.send(px.serverTransaction, out);
        } catch (Exception e) {
            // The INVITE server transaction ends with the first 2xx; later 2xx (other branches, retransmissions)
            // are relayed statelessly, as RFC 3261 16.7 step 10 asks.
            sendStateless(out);
        }
    }

    /**
     * A response that matches no client transaction (the stack's valve hands these over directly): a 2xx to an
     * INVITE whose transaction has ended, or any answer to a request forwarded statelessly; others are dropped.
     */
    public void forwardStrayResponse(Response response) {
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        int status = response.getStatusCode();
        if (cseq != null && Request.INVITE.equals(cseq.getMethod()) && status >= 200 && status < 300) {
            NatContact.fix(response, ((SIPResponse) response).getRemoteAddress(),
                    ((SIPResponse) response).getRemotePort(), sip);
            retransmittedAnswer.accept(response);
            sendStateless(withoutOwnVia(response));
        } else if (forwardedStatelessly(response)) {
            sendStateless(withoutOwnVia(response));
        }
    }

    private static boolean forwardedStatelessly(Response response) {
        String branch = SipMessages.topViaBranch(response);
        return branch != null && branch.startsWith(STATELESS_BRANCH);
    }

    private void sendStateless(Response response) {
        if (response.getHeader(ViaHeader.NAME) == null) {
            return;
        }
        try {
            sip.sendStateless(response);
        } catch (Exception e) {
            log.debug("stateless response not sent: {}", e.toString());
        }
    }

    /** Next hop by RFC 3261 rules (Route, else Request-URI), pinned on the request so it is computed once. */
    private Hop nextHop(Request out) throws javax.sip.SipException {
        Hop hop = provider.getSipStack().getRouter().getNextHop(out);
        if (hop == null) {
            throw new javax.sip.SipException("no next hop for " + out.getRequestURI());
        }
        TargetRouter.sendTo(out, hop);
        return hop;
    }

    /**
     * Removes our Via from a response received from downstream, which then goes upstream as it is: a copy would
     * cost a deep clone per relayed response, and the client transaction that received it reads no Via of it again
     * (it matches retransmissions by their own Via, and builds its ACK from the To header).
     */
    private static Response withoutOwnVia(Response response) {
        response.removeFirst(ViaHeader.NAME);
        return response;
    }
}
