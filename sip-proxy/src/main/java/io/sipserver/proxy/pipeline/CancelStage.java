package io.sipserver.proxy.pipeline;

import gov.nist.javax.sip.stack.SIPServerTransaction;
import io.sipserver.proxy.routing.StatefulProxy;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/** CANCEL: 200 to the CANCEL, CANCEL on every pending branch; the INVITE then ends with 487. */
public final class CancelStage implements RequestStage {

    private final StatefulProxy proxy;

    public CancelStage(StatefulProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public boolean handle(RequestContext ctx) throws Exception {
        if (!ctx.is(Request.CANCEL)) {
            return false;
        }
        ServerTransaction st = ctx.serverTransaction();
        ServerTransaction invite = ((SIPServerTransaction) st).getCanceledInviteTransaction();
        if (invite != null && proxy.cancel(invite)) {
            ctx.respond(200);
        } else {
            ctx.respond(481, "Call/Transaction Does Not Exist");
        }
        return true;
    }
}
