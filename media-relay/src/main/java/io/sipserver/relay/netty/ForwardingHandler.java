package io.sipserver.relay.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends each packet out of the other side's port (so its endpoint sees it come from the port it sends to) to that
 * side's latched or announced address, at once ({@link DatagramSender}): one datagram is read per readiness event,
 * so there is nothing to batch a flush over.
 *
 * <p>Cost per packet: the received buffer goes out as it is (no copy). Through a {@link FastPath} socket it goes to
 * the connected peer; otherwise to the destination address.
 */
final class ForwardingHandler extends ChannelInboundHandlerAdapter {

    private static final Log log = LogFactory.getLog(ForwardingHandler.class);

    private final Leg out;

    /** @param out the other side's leg of the same kind (RTP or RTCP) */
    ForwardingHandler(Leg out) {
        this.out = out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        DatagramPacket packet = (DatagramPacket) msg;
        InetSocketAddress destination = out.latch.destination();
        if (destination == null || out.channel == null) {
            packet.release();
            return;
        }
        Channel socket = out.socketFor(destination);
        DatagramSender.send(socket, packet.content(), destination, socket != out.channel);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket keeps serving after a failed send or receive; one bad datagram must not end the call.
        if (log.isDebugEnabled()) {
            log.debug("relay socket " + ctx.channel().localAddress() + ": " + cause);
        }
    }
}
