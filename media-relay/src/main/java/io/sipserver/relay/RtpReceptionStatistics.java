package io.sipserver.relay;

/**
 * Reception statistics of one RTP source as RFC 3550 defines them: packets lost from extended sequence numbers
 * (appendix A.1/A.3) and interarrival jitter (section 6.4.1, appendix A.8). A new SSRC, or a confirmed jump of
 * the sequence number, restarts the sequence accounting; losses counted so far are kept.
 *
 * <p>Jitter is measured in the RTP clock of each packet's payload type, from {@link #clockRates}. When that clock
 * changes mid-stream, the transit time of the last packet (in the old clock's units) is not compared with the next
 * one: RFC 3550 A.8 takes both in the same units. The estimate so far is carried over, converted to the new units.
 *
 * <p>Plain fields, no allocation: written by one thread (the socket's event loop); other threads read snapshots
 * after a volatile read that follows the writes (see the relay's activity stamp). Only the clock rates are set by
 * another thread (signalling), replaced whole through a volatile field.
 */
public final class RtpReceptionStatistics {

    /** RFC 3550 A.1: a forward jump larger than this is treated as a restart unless confirmed. */
    private static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1: a backward step smaller than this is a late (reordered or duplicated) packet. */
    private static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private volatile RtpClockRates clockRates = RtpClockRates.UNMAPPED;
    /** The clock of the last packet counted in jitter, which {@link #jitter} and {@link #lastTransit} are in. */
    private int clockRate = RtpClockRates.FALLBACK_CLOCK_RATE;
    private double unitsPerNano = clockRate / 1e9;

    private long packets;
    private long bytes;

    private boolean started;
    private long ssrc;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private int badSeq = -1;
    private long received;
    private long lostBefore;

    private boolean haveTransit;
    private long firstArrivalNanos;
    private int lastTransit;
    private double jitter;

    /** Sets the clock of each payload type, for the packets from now on; any thread. */
    public void clockRates(RtpClockRates rates) {
        clockRates = rates;
    }

    /**
     * Accounts one RTP packet.
     *
     * @param length UDP payload length
     * @param payloadType the 7-bit payload type
     * @param sequence the 16-bit sequence number
     * @param timestamp the 32-bit RTP timestamp (0..2^32-1)
     * @param source the 32-bit SSRC
     * @param arrivalNanos arrival time on a monotonic nanosecond clock
     */
    public void onRtp(int length, int payloadType, int sequence, long timestamp, long source, long arrivalNanos) {
        packets++;
        bytes += length;
        if (!started || source != ssrc) {
            restart(sequence, source);
        } else if (!updateSequence(sequence)) {
            return;
        }
        received++;
        useClock(clockRates.clockRate(payloadType));
        updateJitter(timestamp, arrivalNanos);
    }

    /** Accounts a packet that is not RTP (too short, or not version 2): counted, but not in loss or jitter. */
    public void onOther(int length) {
        packets++;
        bytes += length;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** Packets expected from the sequence numbers seen but not received; never negative (duplicates). */
    public long packetsLost() {
        return lostBefore + lostSinceRestart();
    }

    /** Interarrival jitter in RTP timestamp units of the clock of the last packet. */
    public double jitter() {
        return jitter;
    }

    public double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }

    private long lostSinceRestart() {
        if (!started) {
            return 0;
        }
        long expected = cycles + maxSeq - baseSeq + 1;
        return Math.max(0, expected - received);
    }

    /** Forgets everything, clock rates included, as for a new stream (a relay socket reused by another call). */
    public void reset() {
        clockRates = RtpClockRates.UNMAPPED;
        useClock(RtpClockRates.FALLBACK_CLOCK_RATE);
        packets = 0;
        bytes = 0;
        started = false;
        ssrc = 0;
        baseSeq = 0;
        maxSeq = 0;
        cycles = 0;
        badSeq = -1;
        received = 0;
        lostBefore = 0;
        haveTransit = false;
        firstArrivalNanos = 0;
        lastTransit = 0;
        jitter = 0;
    }

    private void restart(int sequence, long source) {
        lostBefore += lostSinceRestart();
        started = true;
        ssrc = source;
        baseSeq = sequence;
        maxSeq = sequence;
        cycles = 0;
        badSeq = -1;
        received = 0;
        haveTransit = false;
    }

    /** RFC 3550 A.1 without probation. Returns false when the packet must not be counted as received. */
    private boolean updateSequence(int sequence) {
        int delta = (sequence - maxSeq) & (SEQ_MOD - 1);
        if (delta < MAX_DROPOUT) {
            if (sequence < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = sequence;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            if (sequence != badSeq) {
                badSeq = (sequence + 1) & (SEQ_MOD - 1);
                return false;
            }
            restart(sequence, ssrc);
        }
        return true;
    }

    private void useClock(int rate) {
        if (rate != clockRate) {
            jitter = jitter * rate / clockRate;
            clockRate = rate;
            unitsPerNano = rate / 1e9;
            haveTransit = false;
        }
    }

    /** RFC 3550 A.8: J += (|D| - J) / 16, with D the change of relative transit time, in timestamp units. */
    private void updateJitter(long timestamp, long arrivalNanos) {
        if (!haveTransit) {
            firstArrivalNanos = arrivalNanos;
        }
        // Rounded: the product in floating point may fall just short of the whole number it stands for.
        long arrival = Math.round((arrivalNanos - firstArrivalNanos) * unitsPerNano);
        int transit = (int) (arrival - timestamp);
        if (haveTransit) {
            int d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
    }
}
