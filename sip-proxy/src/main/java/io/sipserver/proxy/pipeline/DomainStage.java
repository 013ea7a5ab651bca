package io.sipserver.proxy.pipeline;

import io.sipserver.proxy.sip.LocalAddresses;
import javax.sip.address.SipURI;
import javax.sip.message.Request;

/**
 * Initial requests: drop our own pre-loaded Route entries, then refuse requests for domains we do not serve (403),
 * so the server is no open relay; statelessly, so that a scanner's requests leave nothing behind.
 */
public final class DomainStage implements RequestStage {

    private final LocalAddresses local;

    public DomainStage(LocalAddresses local) {
        this.local = local;
    }

    @Override
    public boolean handle(RequestContext ctx) {
        Routes.popOwn(ctx.request(), local);
        SipURI uri = (SipURI) ctx.request().getRequestURI();
        if (local.isServed(uri.getHost(), uri.getPort())) {
            return false;
        }
        if (!ctx.is(Request.ACK)) {
            ctx.respondStatelessly(403, "Forbidden (relaying denied)");
        }
        return true;
    }
}
