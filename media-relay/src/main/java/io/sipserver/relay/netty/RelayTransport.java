package io.sipserver.relay.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;

/** The datagram transport: native epoll where it is available (Linux), NIO elsewhere. */
enum RelayTransport {

    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        ChannelFactory<? extends DatagramChannel> channelFactory(SocketProtocolFamily family) {
            return () -> new EpollDatagramChannel(family);
        }

        @Override
        void configure(Bootstrap bootstrap) {
            // Level-triggered with one read per readiness event: with edge triggering Netty must read until
            // EAGAIN, which costs a second, empty recvmsg for nearly every packet at RTP rates.
            // TEMP knobs for measurement
            if (Boolean.getBoolean("relay.lt")) {
                bootstrap.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
            }
            int mpr = Integer.getInteger("relay.mpr", 0);
            if (mpr > 0) {
                bootstrap.option(io.netty.channel.ChannelOption.MAX_MESSAGES_PER_READ, mpr);
            }
            int batch = Integer.getInteger("relay.mmsg", 0);
            if (batch > 1) {
                bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048);
                bootstrap.option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(2048 * batch));
            }
        }
    },

    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        ChannelFactory<? extends DatagramChannel> channelFactory(SocketProtocolFamily family) {
            return () -> new NioDatagramChannel(family);
        }

        @Override
        void configure(Bootstrap bootstrap) {
            // NIO has no transport-specific options worth setting for the relay.
        }
    };

    abstract IoHandlerFactory ioHandlerFactory();

    /**
     * Sockets of the bind address's family: an IPv4 relay gets IPv4 sockets, whose kernel path is shorter than that
     * of a dual-stack IPv6 socket carrying IPv4-mapped traffic (measured: udpv6_sendmsg/recvmsg on every packet).
     */
    abstract ChannelFactory<? extends DatagramChannel> channelFactory(SocketProtocolFamily family);

    abstract void configure(Bootstrap bootstrap);

    static RelayTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }
}
