package io.sipserver.relay.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends each packet out of the other side's socket (so its endpoint sees it come from the port it sends to) to
 * that side's latched or announced address; flushes once per read batch.
 *
 * <p>Cost per packet: the received buffer is passed on as it is (no copy, no retain: the outgoing envelope takes
 * over its reference); the only object created here is the {@link DatagramPacket} envelope, because Netty's
 * envelopes are immutable and a queued write keeps its envelope until the flush. A reusable mutable envelope
 * would have to implement {@code AddressedEnvelope} itself, which the epoll transport accepts but then sends
 * with one {@code sendmsg} each instead of batching into {@code sendmmsg}; Netty's own read path already creates
 * a packet and a sender address per datagram, so the 32-byte envelope does not change the garbage rate's order.
 * Writes use the void promise (no promise object per write).
 */
final class ForwardingHandler extends ChannelInboundHandlerAdapter {

    private static final Log log = LogFactory.getLog(ForwardingHandler.class);

    private final Leg out;
    private boolean unflushed;

    /** @param out the other side's socket of the same kind (RTP or RTCP) */
    ForwardingHandler(Leg out) {
        this.out = out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        InetSocketAddress destination = out.latch.destination();
        Channel channel = out.channel;
        if (destination == null || channel == null) {
            packet.release();
            return;
        }
        channel.write(new DatagramPacket(packet.content(), destination), channel.voidPromise());
        unflushed = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            out.channel.flush();
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
