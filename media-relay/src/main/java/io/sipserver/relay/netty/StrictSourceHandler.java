package io.sipserver.relay.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.sipserver.relay.PeerLatch;

/** Strict source: drops (and counts) packets from anyone but the latched peer, against RTP injection and bleed. */
final class StrictSourceHandler extends ChannelInboundHandlerAdapter {

    private final PeerLatch latch;

    StrictSourceHandler(PeerLatch latch) {
        this.latch = latch;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        if (latch.admits(packet.sender())) {
            ctx.fireChannelRead(packet);
        } else {
            packet.release();
        }
    }
}
