package io.sipserver.proxy.pipeline;

import io.sipserver.proxy.sip.LocalAddresses;
import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/** Loose routing (RFC 3261 16.4): the Route entries that name this proxy are removed before forwarding. */
final class Routes {

    private Routes() {
    }

    /** Removes every leading Route entry that names us; returns how many were removed. */
    static int popOwn(Request request, LocalAddresses local) {
        int popped = 0;
        while (true) {
            RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
            if (route == null || !(route.getAddress().getURI() instanceof SipURI uri)
                    || !local.isSelf(uri.getHost(), uri.getPort())) {
                return popped;
            }
            request.removeFirst(RouteHeader.NAME);
            popped++;
        }
    }
}
