package io.sipserver.relay.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.sipserver.relay.RtpReceptionStatistics;
import java.util.function.LongSupplier;

/** Reads the RTP header (in place, no copy) of each packet into its side's reception statistics. */
final class RtpStatisticsHandler extends ChannelInboundHandlerAdapter {

    private static final int RTP_HEADER = 12;
    /** The second header byte is the marker bit and the 7-bit payload type. */
    private static final int PAYLOAD_TYPE = 0x7f;

    private final RtpReceptionStatistics statistics;
    private final LongSupplier nanoTime;

    /** @param nanoTime monotonic arrival clock for jitter ({@code System::nanoTime}) */
    RtpStatisticsHandler(RtpReceptionStatistics statistics, LongSupplier nanoTime) {
        this.statistics = statistics;
        this.nanoTime = nanoTime;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = ((DatagramPacket) msg).content();
        int length = data.readableBytes();
        int at = data.readerIndex();
        if (length >= RTP_HEADER && data.getUnsignedByte(at) >> 6 == 2 && !isMuxedRtcp(data.getUnsignedByte(at + 1))) {
            statistics.onRtp(length, data.getUnsignedByte(at + 1) & PAYLOAD_TYPE, data.getUnsignedShort(at + 2),
                    data.getUnsignedInt(at + 4), data.getUnsignedInt(at + 8), nanoTime.getAsLong());
        } else {
            statistics.onOther(length);
        }
        ctx.fireChannelRead(msg);
    }

    /** RFC 5761 section 4: with rtcp-mux, RTCP packet types 192-223 land where RTP's marker + payload type are. */
    private static boolean isMuxedRtcp(int secondByte) {
        return secondByte >= 192 && secondByte <= 223;
    }
}
