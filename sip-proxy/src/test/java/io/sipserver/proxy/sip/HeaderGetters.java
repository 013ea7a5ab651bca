package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.header.Parameters;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;

/** What a user of JAIN-SIP reads from address headers and Via through the API's getters, as text. */
final class HeaderGetters {

    private HeaderGetters() {
    }

    /** The headers a header stands for: a list's members, or itself. */
    static List<SIPHeader> each(SIPHeader header) {
        List<SIPHeader> headers = new ArrayList<>();
        if (header instanceof SIPHeaderList<?> list) {
            list.forEach(headers::add);
        } else {
            headers.add(header);
        }
        return headers;
    }

    /** Pairs of corresponding parts of two headers whose equality and hash codes a user relies on. */
    static List<Object[]> parts(SIPHeader one, SIPHeader other) {
        List<Object[]> pairs = new ArrayList<>();
        pairs.add(new Object[] {one, other});
        if (one instanceof HeaderAddress a && other instanceof HeaderAddress b && a.getAddress() != null
                && b.getAddress() != null) {
            pairs.add(new Object[] {a.getAddress(), b.getAddress()});
            pairs.add(new Object[] {a.getAddress().getURI(), b.getAddress().getURI()});
        }
        return pairs;
    }

    /** The getters' answers for each header {@code header} stands for. */
    static void describe(SIPHeader header, StringBuilder d) {
        for (SIPHeader h : each(header)) {
            d.append("  get ").append(h.getName());
            if (h instanceof HeaderAddress withAddress) {
                address(withAddress.getAddress(), d);
            }
            if (h instanceof FromHeader from) {
                get(d, "tag", from::getTag);
            }
            if (h instanceof ToHeader to) {
                get(d, "tag", to::getTag);
            }
            if (h instanceof ContactHeader contact) {
                get(d, "expires", contact::getExpires);
                get(d, "q", contact::getQValue);
                get(d, "wildcard", contact::isWildCard);
            }
            if (h instanceof ViaHeader via) {
                get(d, "branch", via::getBranch);
                get(d, "received", via::getReceived);
                get(d, "rport", via::getRPort);
                get(d, "host", via::getHost);
                get(d, "port", via::getPort);
                get(d, "transport", via::getTransport);
                get(d, "protocol", via::getProtocol);
                get(d, "ttl", via::getTTL);
                get(d, "maddr", via::getMAddr);
            }
            if (h instanceof AuthorizationHeader auth) {
                get(d, "scheme", auth::getScheme);
                get(d, "realm", auth::getRealm);
                get(d, "username", auth::getUsername);
                get(d, "nonce", auth::getNonce);
                get(d, "uri", () -> auth.getURI() == null ? null : auth.getURI().toString());
                get(d, "response", auth::getResponse);
                get(d, "algorithm", auth::getAlgorithm);
                get(d, "qop", auth::getQop);
                get(d, "cnonce", auth::getCNonce);
                get(d, "nc", auth::getNonceCount);
                get(d, "opaque", auth::getOpaque);
            }
            if (h instanceof Parameters parameters) {
                parameters(parameters.getParameterNames(), parameters::getParameter, d);
            }
            d.append('\n');
        }
    }

    private static void address(Address address, StringBuilder d) {
        if (address == null) {
            d.append(" address=null");
            return;
        }
        get(d, "address", address::toString);
        get(d, "displayName", address::getDisplayName);
        get(d, "wildcard", address::isWildcard);
        URI uri = address.getURI();
        get(d, "uri", uri::toString);
        get(d, "scheme", uri::getScheme);
        get(d, "isSip", uri::isSipURI);
        if (uri instanceof SipURI sip) {
            get(d, "user", sip::getUser);
            get(d, "password", sip::getUserPassword);
            get(d, "uriHost", sip::getHost);
            get(d, "uriPort", sip::getPort);
            get(d, "uriTransport", sip::getTransportParam);
            get(d, "lr", sip::hasLrParam);
            get(d, "userParam", sip::getUserParam);
            get(d, "maddrParam", sip::getMAddrParam);
            get(d, "secure", sip::isSecure);
            parameters(sip.getParameterNames(), sip::getParameter, d);
            d.append(" headers:");
            for (Iterator<?> names = sip.getHeaderNames(); names.hasNext(); ) {
                d.append(names.next()).append(',');
            }
        }
    }

    private static void parameters(Iterator<?> names, java.util.function.Function<String, String> value,
            StringBuilder d) {
        d.append(" parameters:");
        while (names.hasNext()) {
            String name = (String) names.next();
            d.append(name).append('=');
            get(d, "", () -> value.apply(name));
            d.append(',');
        }
    }

    private static void get(StringBuilder d, String name, Supplier<Object> getter) {
        d.append(' ').append(name).append('=');
        try {
            d.append(getter.get());
        } catch (RuntimeException e) {
            d.append(e.getClass().getName());
        }
    }
}
