package io.sipserver.admission;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One end of a call as admission control sees it.
 *
 * @param user the user name (owner of reservations); null when unknown, e.g. a call from a trusted peer
 * @param source the address signalling comes from (for a phone behind NAT, the NAT's public address), which
 *     decides the party's location
 */
public record CallParty(String user, InetAddress source) {
    public CallParty {
        Objects.requireNonNull(source, "source address of a call party");
    }
}
