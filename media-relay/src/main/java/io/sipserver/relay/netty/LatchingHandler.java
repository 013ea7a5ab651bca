package io.sipserver.relay.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.sipserver.relay.PeerLatch;

/** Symmetric latching: the first packet's source becomes the peer this socket's side is sent to. */
final class LatchingHandler extends ChannelInboundHandlerAdapter {

    private final PeerLatch latch;

    LatchingHandler(PeerLatch latch) {
        this.latch = latch;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        latch.latchIfOpen(((DatagramPacket) msg).sender());
        ctx.fireChannelRead(msg);
    }
}
