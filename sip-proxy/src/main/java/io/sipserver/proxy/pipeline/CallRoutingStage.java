package io.sipserver.proxy.pipeline;

import io.sipserver.config.CidrRange;
import io.sipserver.proxy.calls.CallMedia;
import io.sipserver.proxy.calls.CallLeg;
import io.sipserver.proxy.calls.CallRecord;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.calls.CallSession;
import io.sipserver.proxy.calls.MediaRefusedException;
import io.sipserver.proxy.routing.NatContact;
import io.sipserver.proxy.routing.ResponseHooks;
import io.sipserver.proxy.routing.StatefulProxy;
import io.sipserver.proxy.routing.Target;
import io.sipserver.proxy.sip.LocalAddresses;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.UserService;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Initial requests to a user of our domain (Kamailio's AUTH, LOCATION and RELAY blocks): Max-Forwards and loop
 * checks, digest authentication of the caller (407) unless it is a trusted peer, location lookup (404 / 480),
 * media admission and relay for INVITE, then stateful forwarding to every binding, highest q first. What is refused
 * before authentication (483, 482, 407) is answered statelessly; from the credentials on, through the transaction.
 */
public final class CallRoutingStage implements RequestStage {

    private final LocalAddresses local;
    private final LocationService locations;
    private final UserService users;
    private final DigestChallenger digest;
    private final List<CidrRange> trustedPeers;
    private final StatefulProxy proxy;
    private final CallRegistry calls;
    private final CallMedia media;
    private final Clock clock;

    public CallRoutingStage(LocalAddresses local, LocationService locations, UserService users,
            DigestChallenger digest, List<CidrRange> trustedPeers, StatefulProxy proxy, CallRegistry calls,
            CallMedia media, Clock clock) {
        this.local = local;
        this.locations = locations;
        this.users = users;
        this.digest = digest;
        this.trustedPeers = List.copyOf(trustedPeers);
        this.proxy = proxy;
        this.calls = calls;
        this.media = media;
        this.clock = clock;
    }

    @Override
    public boolean handle(RequestContext ctx) throws Exception {
        Request request = ctx.request();
        if (ctx.is(Request.ACK)) {
            return true; // an ACK with no transaction and no dialog: nothing to route
        }
        if (retransmitsLiveCall(request)) {
            return true;
        }
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() <= 0) {
            ctx.respondStatelessly(483, "Too Many Hops");
            return true;
        }
        String loopKey = loopKey(request);
        if (isLooping(request, loopKey)) {
            ctx.respondStatelessly(482, "Loop Detected");
            return true;
        }
        if (!isTrusted(ctx.sourceAddress())) {
            String user = digest.authenticate(ctx, DigestChallenger.Kind.PROXY);
            if (user == null) {
                return true;
            }
            URI from = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI();
            if (!(from instanceof SipURI f) || !user.equals(f.getUser())) {
                ctx.respond(403, "Forbidden (From does not match the authenticated user " + user + ")");
                return true;
            }
            ctx.authenticatedUser(user);
        }
        // Created only now: a 407 challenge goes out statelessly, and the ACK for it is dropped by the valve.
        ServerTransaction st = ctx.serverTransaction();
        String calleeUser = ((SipURI) request.getRequestURI()).getUser();
        String aor = "sip:" + calleeUser + "@" + local.domain();
        List<Binding> bindings = locations.lookup(aor);
        if (bindings.isEmpty()) {
            if (users.find(calleeUser).isPresent()) {
                ctx.respond(480, "Temporarily Unavailable");
            } else {
                ctx.respond(404, "Not Found");
            }
            return true;
        }
        boolean invite = ctx.is(Request.INVITE);
        if (invite) {
            ctx.sip().send(st, ctx.sip().response(request, 100, "Trying"));
        }
        // The received request itself becomes the one each branch is cloned from, without a copy of its own: its
        // server transaction matches retransmissions, CANCEL and responses by Via, From, To, Call-ID, CSeq and
        // Request-URI, none of which changes here.
        Request out = request;
        out.removeHeader("Proxy-Authorization");
        NatContact.fix(out, ctx.sourceAddress(), ctx.sourcePort(), ctx.sip());
        List<List<Target>> groups = groupsByQ(bindings, calleeUser);
        ResponseHooks hooks = ResponseHooks.NONE;
        if (invite) {
            hooks = startCall(ctx, out, aor, calleeUser, groups);
            if (hooks == null) {
                return true;
            }
        }
        proxy.forward(st, out, groups, invite, ctx.transport(), loopKey, hooks);
        return true;
    }

    /** Records the call and sets up its media; null when the call was refused (already answered). */
    private ResponseHooks startCall(RequestContext ctx, Request out, String aor, String calleeUser,
            List<List<Target>> groups) {
        String callId = ((CallIdHeader) out.getHeader(CallIdHeader.NAME)).getCallId();
        FromHeader from = (FromHeader) out.getHeader(FromHeader.NAME);
        String callerUser = ctx.authenticatedUser() != null ? ctx.authenticatedUser()
                : from.getAddress().getURI() instanceof SipURI f ? f.getUser() : null;
        CallRecord call = new CallRecord(callId, from.getTag(), from.getAddress().getURI().toString(), aor,
                callerUser, calleeUser, clock.instant(), SipMessages.topViaBranch(out));
        ContactHeader contact = (ContactHeader) out.getHeader(ContactHeader.NAME);
        call.callerLeg(new CallLeg(contact == null ? null : contact.getAddress().getURI().toString(),
                ctx.sourceHost(), ctx.sourcePort(), ctx.transport()));
        if (!calls.start(call)) {
            ctx.respond(482, "Loop Detected (call already in progress)");
            return null;
        }
        List<Target> all = new ArrayList<>();
        groups.forEach(all::addAll);
        String contactHost = contact != null && contact.getAddress().getURI() instanceof SipURI c ? c.getHost() : null;
        try {
            String sdp = media.offer(call, ctx.sourceAddress(), contactHost, all, SipMessages.sdpBody(out));
            if (sdp != null) {
                ctx.sip().setSdpBody(out, sdp);
            }
        } catch (MediaRefusedException e) {
            calls.end(callId, "refused " + e.status());
            refuse(ctx, e);
            return null;
        }
        return new CallSession(call, calls, media, ctx.sip());
    }

    /** Answers a request whose media was refused (488 + Warning 370, or 503). */
    static void refuse(RequestContext ctx, MediaRefusedException e) {
        Response r = ctx.sip().response(ctx.request(), e.status(), e.reason());
        if (e.warningCode() != 0) {
            r.addHeader(ctx.sip().warning(e.warningCode(), e.getMessage()));
        }
        ctx.respond(r);
    }

    private boolean isTrusted(InetAddress source) {
        for (CidrRange r : trustedPeers) {
            if (r.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** Bindings grouped by q-value, highest first: each group is tried in parallel, groups one after another. */
    static List<List<Target>> groupsByQ(List<Binding> bindings, String user) throws java.net.UnknownHostException {
        List<List<Target>> groups = new ArrayList<>();
        float currentQ = Float.NaN;
        for (Binding b : bindings) {
            Target t = new Target(b.contactUri(), InetAddress.getByName(b.sourceHost()), b.sourcePort(),
                    b.transport(), b.q(), user);
            if (groups.isEmpty() || b.q() != currentQ) {
                groups.add(new ArrayList<>());
                currentQ = b.q();
            }
            groups.get(groups.size() - 1).add(t);
        }
        return groups;
    }

    /**
     * An INVITE whose server transaction is gone although its call lives on: the stack forgets a transaction as soon
     * as it terminates, which for an INVITE is when its 2xx has gone upstream (SipStackRuntime: no linger). RFC
     * 6026's Accepted state absorbs retransmissions of that INVITE; the call record does it here, for as long as
     * the call lives, instead of answering them as a new call (482).
     */
    private boolean retransmitsLiveCall(Request request) {
        if (!Request.INVITE.equals(request.getMethod())) {
            return false;
        }
        CallRecord call = calls.find(((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId()).orElse(null);
        return call != null
                && call.startedBy(((FromHeader) request.getHeader(FromHeader.NAME)).getTag(), SipMessages.topViaBranch(request));
    }

    /** Identifies this request for loop detection (RFC 3261 16.6 step 8): Request-URI, From tag, Call-ID, CSeq. */
    static String loopKey(Request request) {
        String from = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
        int h = request.getRequestURI().toString().hashCode();
        h = 31 * h + (from == null ? 0 : from.hashCode());
        h = 31 * h + ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId().hashCode();
        h = 31 * h + Long.hashCode(((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber());
        return Integer.toHexString(h);
    }

    /** A request that already passed through us with the same loop key has looped back. */
    private boolean isLooping(Request request, String loopKey) {
        String mark = SipMessages.BRANCH_COOKIE + loopKey + ".";
        ListIterator<Header> vias = request.getHeaders(ViaHeader.NAME);
        while (vias.hasNext()) {
            ViaHeader via = (ViaHeader) vias.next();
            String branch = via.getBranch();
            if (branch != null && branch.startsWith(mark) && local.isSelf(via.getHost(), via.getPort())) {
                return true;
            }
        }
        return false;
    }
}
