package io.sipserver.proxy.calls;

import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.proxy.sip.TargetRouter;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a confirmed call from the middle (media timeout): a BYE to each party, sent to the address its messages
 * came from, then the call's record and resources are released.
 */
public final class CallTerminator {

    private static final Logger log = LoggerFactory.getLogger(CallTerminator.class);

    /**
     * CSeq of the proxy's BYE. The proxy never saw the other side's counter for certain; a value near the top of
     * the 2^31 range is above any counter a dialog reaches, so the BYE is accepted as newer.
     */
    private static final long BYE_CSEQ = 2_000_000_000L;

    private final SipProvider provider;
    private final SipMessages sip;
    private final CallRegistry calls;

    public CallTerminator(SipProvider provider, SipMessages sip, CallRegistry calls) {
        this.provider = provider;
        this.sip = sip;
        this.calls = calls;
    }

    /** Sends BYE both ways (for a confirmed call) and ends the call with {@code reason}. */
    public void terminate(String callId, String reason) {
        calls.find(callId).ifPresent(call -> {
            if (call.state() == CallState.CONFIRMED) {
                // To the caller, in the callee's name; to the callee, in the caller's.
                bye(call.callerLeg(), call.callee(), call.toTag(), call.caller(), call.fromTag(), callId);
                bye(call.calleeLeg(), call.caller(), call.fromTag(), call.callee(), call.toTag(), callId);
            }
            calls.end(callId, reason);
        });
    }

    private void bye(CallLeg leg, String from, String fromTag, String to, String toTag, String callId) {
        if (leg == null || leg.contact() == null || leg.host() == null) {
            return;
        }
        try {
            Request bye = sip.inDialogRequest(Request.BYE, leg.contact(), from, fromTag, to, toTag, callId, BYE_CSEQ,
                    leg.transport());
            TargetRouter.sendTo(bye, SipMessages.hop(leg.host(), leg.port(), leg.transport()));
            provider.getNewClientTransaction(bye).sendRequest();
        } catch (Exception e) {
            log.info("BYE for {} to {} not sent: {}", callId, leg.contact(), e.toString());
        }
    }
}
