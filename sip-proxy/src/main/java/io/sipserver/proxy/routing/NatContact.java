package io.sipserver.proxy.routing;

import io.sipserver.proxy.sip.SipMessages;
import java.net.InetAddress;
import java.text.ParseException;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;

/**
 * Kamailio's fix_nated_contact: when a dialog-forming message comes from another address than its Contact
 * names (the sender is behind NAT), the Contact is rewritten to the address the message really came from, so
 * that the dialog's later requests reach the sender through its NAT pinhole.
 */
public final class NatContact {

    private NatContact() {
    }

    public static void fix(Message message, InetAddress source, int sourcePort, SipMessages sip) {
        if (source == null) {
            return;
        }
        ContactHeader contact = (ContactHeader) message.getHeader(ContactHeader.NAME);
        if (contact == null || contact.isWildCard() || !(contact.getAddress().getURI() instanceof SipURI uri)) {
            return;
        }
        String sourceHost = source.getHostAddress();
        int contactPort = uri.getPort() > 0 ? uri.getPort() : 5060;
        boolean reliable = isReliable(message, uri);
        boolean natted = !sourceHost.equals(uri.getHost()) || (!reliable && contactPort != sourcePort);
        if (!natted || sip.local().isSelf(uri.getHost(), uri.getPort())) {
            return;
        }
        try {
            uri.setHost(sourceHost);
            uri.setPort(sourcePort);
        } catch (ParseException | IllegalArgumentException e) {
            // Keep the original Contact: the request still works without NAT.
        }
    }

    private static boolean isReliable(Message message, SipURI uri) {
        String transport = uri.getTransportParam();
        if (transport == null) {
            ViaHeader via = (ViaHeader) message.getHeader(ViaHeader.NAME);
            transport = via == null ? "udp" : via.getTransport();
        }
        return !"udp".equalsIgnoreCase(transport);
    }

}
