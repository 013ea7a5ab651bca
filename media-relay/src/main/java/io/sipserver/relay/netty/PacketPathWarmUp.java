package io.sipserver.relay.netty;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * Two local RTP endpoints that exchange G.711-sized packets through one relay stream, in bursts, so that the JIT
 * compiles the packet path before real calls arrive. A cold relay interprets and compiles during its first seconds
 * of traffic, using several times the CPU per packet that it needs later; under a sudden high load (a restart with
 * many calls coming back, or the RTP benchmark, which starts every point with a fresh relay) that builds a backlog
 * that takes seconds to drain. Only the relay's own address is used: the packets never leave the host.
 */
final class PacketPathWarmUp implements AutoCloseable {

    private static final int PACKET_BYTES = 172;
    private static final int BURST = 32;
    private static final int RECEIVE_TIMEOUT_MILLIS = 200;

    private final DatagramSocket a;
    private final DatagramSocket b;

    /** @param host the address both endpoints bind to (the relay's, or loopback for a wildcard relay address) */
    PacketPathWarmUp(InetAddress host) throws IOException {
        a = new DatagramSocket(new InetSocketAddress(host, 0));
        b = new DatagramSocket(new InetSocketAddress(host, 0));
        a.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
        b.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
    }

    InetSocketAddress addressA() {
        return (InetSocketAddress) a.getLocalSocketAddress();
    }

    InetSocketAddress addressB() {
        return (InetSocketAddress) b.getLocalSocketAddress();
    }

    /**
     * Sends {@code packets} RTP packets each way, A to {@code relayA} and B to {@code relayB}, a burst at a time,
     * each burst received on the other side before the next is sent.
     *
     * @return the packets that came through (a lost packet costs one receive timeout, then the next burst goes)
     */
    long exchange(InetSocketAddress relayA, InetSocketAddress relayB, int packets) throws IOException {
        byte[] outA = new byte[PACKET_BYTES];
        byte[] outB = new byte[PACKET_BYTES];
        DatagramPacket sendA = new DatagramPacket(outA, PACKET_BYTES, relayA);
        DatagramPacket sendB = new DatagramPacket(outB, PACKET_BYTES, relayB);
        DatagramPacket received = new DatagramPacket(new byte[2048], 2048);
        long through = 0;
        for (int sent = 0; sent < packets; ) {
            int burst = Math.min(BURST, packets - sent);
            for (int i = 0; i < burst; i++, sent++) {
                rtp(outA, sent, 0x5A5A5A5A);
                rtp(outB, sent, 0xA5A5A5A5);
                a.send(sendA);
                b.send(sendB);
            }
            through += receive(b, burst, received) + receive(a, burst, received);
        }
        return through;
    }

    private static long receive(DatagramSocket socket, int count, DatagramPacket into) throws IOException {
        for (int i = 0; i < count; i++) {
            try {
                socket.receive(into);
            } catch (SocketTimeoutException e) {
                return i;
            }
        }
        return count;
    }

    /** An RTP header (version 2, PCMU) with the sequence number and timestamp of the {@code index}th packet. */
    private static void rtp(byte[] packet, int index, int ssrc) {
        ByteBuffer.wrap(packet).put((byte) 0x80).put((byte) 0).putShort((short) index).putInt(index * 160)
                .putInt(ssrc);
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
