package io.sipserver.relay.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends each packet out of the other side's port (so its endpoint sees it come from the port it sends to) to that
 * side's latched or announced address, and flushes once per read batch.
 *
 * <p>Cost per packet: the received buffer goes out as it is (no copy, no retain: the write takes over its
 * reference). Through a {@link FastPath} socket the buffer is written bare; otherwise it needs a
 * {@link DatagramPacket} envelope (Netty's envelopes are immutable, and a queued write holds its envelope until
 * the flush, so one cannot be reused). Writes use the void promise: no promise object per write.
 */
final class ForwardingHandler extends ChannelInboundHandlerAdapter {

    private static final Log log = LogFactory.getLog(ForwardingHandler.class);

    private final Leg out;
    private Channel unflushed;
    private Channel alsoUnflushed;

    /** @param out the other side's leg of the same kind (RTP or RTCP) */
    ForwardingHandler(Leg out) {
        this.out = out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        InetSocketAddress destination = out.latch.destination();
        if (destination == null || out.channel == null) {
            packet.release();
            return;
        }
        Channel socket = out.socketFor(destination);
        if (socket == out.channel) {
            socket.write(new DatagramPacket(packet.content(), destination), socket.voidPromise());
        } else {
            socket.write(packet.content(), socket.voidPromise());
        }
        if (unflushed == null) {
            unflushed = socket;
        } else if (unflushed != socket) {
            alsoUnflushed = socket;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed != null) {
            unflushed.flush();
            unflushed = null;
        }
        if (alsoUnflushed != null) {
            alsoUnflushed.flush();
            alsoUnflushed = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket keeps serving after a failed send or receive; one bad datagram must not end the call.
        if (log.isDebugEnabled()) {
            log.debug("relay socket " + ctx.channel().localAddress() + ": " + cause);
        }
    }
}
