package io.sipserver.proxy.pipeline;

import java.text.ParseException;
import java.util.List;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Requests whose Request-URI is the server itself (no user part): OPTIONS keep-alives and monitoring get 200;
 * anything else addressed to the server has nothing to reach. Answered statelessly, as Kamailio's sl_send_reply does:
 * every phone's keep-alive would otherwise hold a server transaction until Timer J (5 s here, see RequestContext).
 */
public final class OwnRequestStage implements RequestStage {

    static final List<String> ALLOW = List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "UPDATE",
            "INFO", "PRACK", "MESSAGE", "REFER", "NOTIFY", "SUBSCRIBE");

    @Override
    public boolean handle(RequestContext ctx) throws ParseException {
        SipURI uri = (SipURI) ctx.request().getRequestURI();
        String user = uri.getUser();
        if (user != null && !user.isEmpty()) {
            return false;
        }
        if (ctx.is(Request.OPTIONS)) {
            Response r = ctx.sip().response(ctx.request(), 200, null);
            for (String method : ALLOW) {
                r.addHeader(ctx.sip().headers().createAllowHeader(method));
            }
            r.addHeader(ctx.sip().headers().createAcceptHeader("application", "sdp"));
            ctx.respondStatelessly(r);
        } else if (!ctx.is(Request.ACK)) {
            ctx.respondStatelessly(404, "Not Found (no user in Request-URI)");
        }
        return true;
    }
}
