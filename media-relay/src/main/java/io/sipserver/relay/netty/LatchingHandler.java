package io.sipserver.relay.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Symmetric latching: the first packet's source becomes the address this socket's side is sent to (and gets a
 * connected {@link FastPath} socket).
 */
final class LatchingHandler extends ChannelInboundHandlerAdapter {

    private final Leg leg;
    private final FastPath fastPath;

    LatchingHandler(Leg leg, FastPath fastPath) {
        this.leg = leg;
        this.fastPath = fastPath;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (leg.idle) {
            ReferenceCountUtil.release(msg);
            return;
        }
        InetSocketAddress source = ((DatagramPacket) msg).sender();
        if (leg.latch.latchIfOpen(source)) {
            fastPath.connect(leg, source);
        }
        ctx.fireChannelRead(msg);
    }
}
