package io.sipserver.relay.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends one datagram out of a relay socket at once. On a native epoll socket that is one {@code send}/{@code sendto}
 * on its descriptor, past Netty's outbound buffer and flush: profiled (perf) on the RTP benchmark, Netty's write
 * path (pipeline, outbound buffer entry, flush, writability accounting) was about a third of the relay's Java CPU
 * per packet, the kernel's send, receive and epoll being three quarters of the total; with it gone the relay used
 * 1.06x the CPU of a minimal C relay for the same load, against 1.19x before. A datagram the kernel does not take at once (send buffer full) is dropped rather than queued, as a
 * router would: late RTP is worthless. Other channels (NIO, embedded test channels) get Netty's write and flush.
 *
 * <p>Event loop of the socket only: the socket is closed on that loop too, so it cannot close (and its descriptor
 * number be reused) between the open check and the send.
 */
final class DatagramSender {

    private DatagramSender() {
    }

    /**
     * Sends {@code data} (and releases it) through {@code socket}: to its connected peer when {@code connected}
     * (then {@code destination} is that peer), else to {@code destination}.
     *
     * @throws IOException when the kernel refuses the datagram (the data is released all the same)
     */
    static void send(Channel socket, ByteBuf data, InetSocketAddress destination, boolean connected)
            throws IOException {
        if (!(socket instanceof UnixChannel unix) || !(unix.fd() instanceof Socket fd)) {
            socket.writeAndFlush(connected ? data : new DatagramPacket(data, destination), socket.voidPromise());
            return;
        }
        try {
            if (socket.isOpen()) {
                sendNative(fd, data, destination, connected);
            }
        } finally {
            data.release();
        }
    }

    private static void sendNative(Socket fd, ByteBuf data, InetSocketAddress destination, boolean connected)
            throws IOException {
        int from = data.readerIndex();
        int to = data.writerIndex();
        if (data.hasMemoryAddress()) {
            long address = data.memoryAddress();
            if (connected) {
                fd.sendAddress(address, from, to);
            } else {
                fd.sendToAddress(address, from, to, destination.getAddress(), destination.getPort());
            }
        } else {
            ByteBuffer nio = data.internalNioBuffer(from, to - from);
            if (connected) {
                fd.send(nio, nio.position(), nio.limit());
            } else {
                fd.sendTo(nio, nio.position(), nio.limit(), destination.getAddress(), destination.getPort());
            }
        }
    }
}
