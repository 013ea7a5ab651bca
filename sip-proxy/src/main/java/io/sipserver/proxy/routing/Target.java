package io.sipserver.proxy.routing;

import java.net.InetAddress;

/**
 * Where one branch of a forwarded request goes: the Request-URI it carries, and the address, port and transport it
 * is sent to (a registered phone's NAT pinhole rather than its Contact).
 *
 * @param user the callee's user name (for admission control), or null
 */
public record Target(String requestUri, InetAddress address, int port, String transport, float q, String user) {

    public String host() {
        return address.getHostAddress();
    }
}
