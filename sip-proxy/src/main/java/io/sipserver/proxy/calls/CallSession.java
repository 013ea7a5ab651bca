package io.sipserver.proxy.calls;

import gov.nist.javax.sip.message.SIPResponse;
import io.sipserver.proxy.routing.ResponseHooks;
import io.sipserver.proxy.routing.Target;
import io.sipserver.proxy.sip.SipMessages;
import javax.sip.address.URI;
import java.util.function.Consumer;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Follows the responses to a call's initial INVITE: dialog record, answer SDP through the relay, bandwidth. */
public final class CallSession implements ResponseHooks {

    private static final Logger log = LoggerFactory.getLogger(CallSession.class);

    private final CallRecord call;
    private final CallRegistry registry;
    private final CallMedia media;
    private final SipMessages sip;

    public CallSession(CallRecord call, CallRegistry registry, CallMedia media, SipMessages sip) {
        this.call = call;
        this.registry = registry;
        this.media = media;
        this.sip = sip;
    }

    @Override
    public void onProvisional(Target target, Response response) {
        registry.early(call.callId());
        rewriteAnswer(target, response, false);
    }

    @Override
    public void onSuccess(Target target, Response response) {
        ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
        URI contactUri = contact == null ? null : contact.getAddress().getURI();
        SIPResponse raw = (SIPResponse) response;
        CallLeg leg = target != null
                ? new CallLeg(contactUri == null ? null : contactUri.toString(), target.host(), target.port(),
                        target.transport())
                : new CallLeg(contactUri == null ? null : contactUri.toString(),
                        raw.getRemoteAddress().getHostAddress(), raw.getRemotePort(), "UDP");
        registry.confirmed(call.callId(), ((ToHeader) response.getHeader(ToHeader.NAME)).getTag(), leg);
        if (!rewriteAnswer(target, response, true)) {
            log.info("call {}: the answer's media does not fit the bandwidth budget", call.callId());
        }
    }

    @Override
    public void onFailure(int status) {
        registry.end(call.callId(), "failed " + status);
    }

    /**
     * For 2xx retransmissions that arrive after the INVITE transaction ended: the same SDP rewriting as the first
     * copy got, so the caller never sees the callee's own media address.
     */
    public static Consumer<Response> retransmittedAnswers(CallRegistry registry, CallMedia media, SipMessages sip) {
        return response -> {
            String sdp = SipMessages.sdpBody(response);
            CallIdHeader callId = (CallIdHeader) response.getHeader(CallIdHeader.NAME);
            if (sdp == null || callId == null) {
                return;
            }
            registry.find(callId.getCallId()).ifPresent(call -> {
                String out = media.answer(call, null, sdp, false).sdp();
                if (out != null && !out.equals(sdp)) {
                    sip.setSdpBody(response, out);
                }
            });
        };
    }

    private boolean rewriteAnswer(Target target, Response response, boolean confirmed) {
        String sdp = SipMessages.sdpBody(response);
        if (sdp == null && !confirmed) {
            return true;
        }
        CallMedia.Answer answer = media.answer(call, target, sdp, confirmed);
        if (answer.sdp() != null && !answer.sdp().equals(sdp)) {
            sip.setSdpBody(response, answer.sdp());
        }
        return answer.accepted();
    }
}
