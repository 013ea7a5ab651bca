package io.sipserver.proxy.pipeline;

import io.sipserver.proxy.calls.CallMedia;
import io.sipserver.proxy.calls.CallRecord;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.proxy.calls.MediaRefusedException;
import io.sipserver.proxy.routing.NatContact;
import io.sipserver.proxy.routing.ResponseHooks;
import io.sipserver.proxy.routing.StatefulProxy;
import io.sipserver.proxy.routing.Target;
import io.sipserver.proxy.sip.LocalAddresses;
import io.sipserver.proxy.sip.SipMessages;
import java.util.Optional;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests inside a dialog (To tag present) follow their Route set (RFC 3261 16.12): ACK, and other non-INVITE
 * requests from UDP clients, statelessly; re-INVITE, UPDATE and what comes over TCP statefully. BYE ends the call
 * record; re-INVITE and UPDATE go through admission and the relay.
 */
public final class InDialogStage implements RequestStage {

    private static final Logger log = LoggerFactory.getLogger(InDialogStage.class);

    private final LocalAddresses local;
    private final StatefulProxy proxy;
    private final CallRegistry calls;
    private final CallMedia media;

    public InDialogStage(LocalAddresses local, StatefulProxy proxy, CallRegistry calls, CallMedia media) {
        this.local = local;
        this.proxy = proxy;
        this.calls = calls;
        this.media = media;
    }

    @Override
    public boolean handle(RequestContext ctx) throws Exception {
        Request request = ctx.request();
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null || ctx.is(Request.CANCEL)) {
            return false;
        }
        if (Routes.popOwn(request, local) == 0) {
            // Not record-routed through us: we are not on this dialog's path.
            if (!ctx.is(Request.ACK)) {
                ctx.respond(404, "Not Found (not on this dialog's route)");
            }
            return true;
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Optional<CallRecord> call = calls.find(callId);
        boolean fromCaller = call.map(c -> c.isFromCaller(((FromHeader) request.getHeader(FromHeader.NAME)).getTag()))
                .orElse(true);
        if (ctx.is(Request.ACK)) {
            call.ifPresent(CallRecord::acknowledge);
            String sdp = SipMessages.sdpBody(request);
            if (sdp != null && call.isPresent()) {
                setBody(ctx, media.update(call.get(), fromCaller, sdp, false));
            }
            try {
                proxy.forwardStateless(request, SipMessages.topViaBranch(request));
            } catch (SipException e) {
                log.debug("ACK not forwarded: {}", e.toString());
            }
            return true;
        }
        if (ctx.is(Request.BYE)) {
            calls.end(callId, "bye");
        }
        boolean offerAnswer = ctx.is(Request.INVITE) || ctx.is(Request.UPDATE);
        if (!offerAnswer && ListeningPoint.UDP.equalsIgnoreCase(ctx.transport())) {
            forwardStateless(ctx);
            return true;
        }
        ResponseHooks hooks = ResponseHooks.NONE;
        if (call.isPresent() && offerAnswer) {
            NatContact.fix(request, ctx.sourceAddress(), ctx.sourcePort(), ctx.sip());
            String sdp = SipMessages.sdpBody(request);
            if (sdp != null) {
                try {
                    setBody(ctx, media.update(call.get(), fromCaller, sdp, true));
                } catch (MediaRefusedException e) {
                    CallRoutingStage.refuse(ctx, e);
                    return true;
                }
            }
            hooks = new ReofferAnswer(call.get(), !fromCaller, ctx.sip());
        }
        proxy.forwardInDialog(ctx.serverTransaction(), request, hooks);
        return true;
    }

    /**
     * A non-INVITE request from a UDP client goes on without transactions: the client retransmits it until an answer
     * comes back (relayed as a stray), so the proxy needs no state for it. Over TCP the answer must go back on the
     * client's connection, which only its server transaction knows: those stay stateful.
     */
    private void forwardStateless(RequestContext ctx) {
        try {
            proxy.forwardStateless(ctx.request(), SipMessages.topViaBranch(ctx.request()));
        } catch (StatefulProxy.NoRouteException e) {
            log.info("no route for in-dialog {}: {}", ctx.method(), e.getMessage());
            ctx.respondStatelessly(404, "Not Found (no route)");
        } catch (SipException e) {
            log.info("cannot forward in-dialog {}: {}", ctx.method(), e.toString());
            ctx.respondStatelessly(503, "Service Unavailable (next hop unreachable)");
        }
    }

    private static void setBody(RequestContext ctx, String sdp) {
        if (sdp != null) {
            ctx.sip().setSdpBody(ctx.request(), sdp);
        }
    }

    /** The answer to a re-INVITE / UPDATE, sent by the other party, goes through the relay too. */
    private final class ReofferAnswer implements ResponseHooks {
        private final CallRecord call;
        private final boolean answererIsCaller;
        private final SipMessages sip;

        ReofferAnswer(CallRecord call, boolean answererIsCaller, SipMessages sip) {
            this.call = call;
            this.answererIsCaller = answererIsCaller;
            this.sip = sip;
        }

        @Override
        public void onProvisional(Target target, Response response) {
            rewrite(response);
        }

        @Override
        public void onSuccess(Target target, Response response) {
            rewrite(response);
        }

        @Override
        public void onFailure(int status) {
            media.updateFailed(call);
        }

        private void rewrite(Response response) {
            String sdp = SipMessages.sdpBody(response);
            if (sdp == null) {
                return;
            }
            try {
                String out = media.update(call, answererIsCaller, sdp, false);
                if (out != null && !out.equals(sdp)) {
                    sip.setSdpBody(response, out);
                }
            } catch (MediaRefusedException e) {
                // Answers are never refused: they only shrink what the offer reserved.
            }
        }
    }
}
