package io.sipserver.proxy.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.DefaultRouter;
import java.util.ListIterator;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

/**
 * Next-hop selection that lets the proxy send a request somewhere other than its Request-URI: to the address a
 * phone registered from (its NAT pinhole), as Kamailio's destination URI does. The proxy attaches a {@link Hop} to
 * the request as its application data; without one, RFC 3261 routing (Route, then Request-URI) applies.
 */
public class TargetRouter implements Router {

    private final DefaultRouter rfcRouter;

    /** Called reflectively by the stack (javax.sip.ROUTER_PATH). */
    public TargetRouter(SipStack stack, String outboundProxy) {
        this.rfcRouter = new DefaultRouter(stack, outboundProxy);
    }

    /** Makes the stack send {@code request} to {@code hop}, whatever its Route and Request-URI say. */
    public static void sendTo(Request request, Hop hop) {
        ((SIPMessage) request).setApplicationData(hop);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (((SIPMessage) request).getApplicationData() instanceof Hop hop) {
            return hop;
        }
        return rfcRouter.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return rfcRouter.getOutboundProxy();
    }

    @Override
    @Deprecated
    @SuppressWarnings("rawtypes")
    public ListIterator getNextHops(Request request) {
        return rfcRouter.getNextHops(request);
    }
}
