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
            // Level-triggered, with one read per readiness event (see NettyMediaRelay): with edge triggering Netty
            // must read until EAGAIN, an extra empty recvmsg for nearly every packet at RTP rates (measured: 4 %
            // more CPU). SO_REUSEPORT lets a fast-path socket share its leg's port; it would also let another
            // process of the same user that sets it share a relay port, so give each relay a port range of its own.
            bootstrap.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED)
                    .option(EpollChannelOption.SO_REUSEPORT, true);
        }

        @Override
        boolean hasFastPath() {
            return true;
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
            // NIO is level-triggered already and has no port sharing: no fast path.
        }

        @Override
        boolean hasFastPath() {
            return false;
        }
    };

    abstract IoHandlerFactory ioHandlerFactory();

    /**
     * Sockets of the bind address's family: an IPv4 relay gets IPv4 sockets, whose kernel path is shorter than that
     * of a dual-stack IPv6 socket carrying IPv4-mapped traffic (measured: udpv6_sendmsg/recvmsg on every packet).
     */
    abstract ChannelFactory<? extends DatagramChannel> channelFactory(SocketProtocolFamily family);

    abstract void configure(Bootstrap bootstrap);

    /** Whether latched legs get a connected socket ({@link FastPath}). */
    abstract boolean hasFastPath();

    static RelayTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }
}
