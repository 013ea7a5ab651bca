package io.sipserver.proxy.pipeline;

import javax.sip.address.URI;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.message.Request;

/**
 * Request checks before any routing (Kamailio's REQINIT): a SIP Request-URI, no proxy extension we do not
 * support. Size limits are enforced by the stack (sip.max-message-size). Refusals go without a server transaction:
 * a request refused at once leaves nothing behind.
 */
public final class SanityStage implements RequestStage {

    @Override
    public boolean handle(RequestContext ctx) {
        URI uri = ctx.request().getRequestURI();
        if (!uri.isSipURI()) {
            if (!ctx.is(Request.ACK)) {
                ctx.respondStatelessly(416, "Unsupported URI Scheme");
            }
            return true;
        }
        ProxyRequireHeader proxyRequire = (ProxyRequireHeader) ctx.request().getHeader(ProxyRequireHeader.NAME);
        if (proxyRequire != null && !ctx.is(Request.ACK) && !ctx.is(Request.CANCEL)) {
            var r = ctx.sip().response(ctx.request(), 420, "Bad Extension");
            try {
                r.addHeader(ctx.sip().headers().createUnsupportedHeader(proxyRequire.getOptionTag()));
            } catch (java.text.ParseException e) {
                throw new IllegalArgumentException("bad Proxy-Require header", e);
            }
            ctx.respondStatelessly(r);
            return true;
        }
        return false;
    }
}
