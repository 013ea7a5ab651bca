package io.sipserver.proxy.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports free on loopback for both UDP and TCP at the moment of asking (tests retry if one is taken later). */
public final class FreePorts {

    private FreePorts() {
    }

    public static int udpAndTcp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException e) {
                    // UDP side taken: try another
                }
            } catch (IOException e) {
                // try another
            }
        }
        throw new IllegalStateException("no free UDP+TCP port on loopback");
    }

    /** True when nothing is bound to this UDP port on loopback right now. */
    public static boolean isUdpFree(int port) {
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
