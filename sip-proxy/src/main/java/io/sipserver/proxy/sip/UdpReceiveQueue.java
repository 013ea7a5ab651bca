package io.sipserver.proxy.sip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import java.net.DatagramPacket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue between a UDP listening point's reader thread and the stack's worker threads. JAIN-SIP 1.3.0-91's own
 * is unbounded, so a burst the workers cannot absorb grows it until the heap is gone; this one holds at most
 * {@code capacity} datagrams and drops new arrivals beyond that (as a full socket buffer would).
 * <p>
 * It also measures the standing delay that overload control watches: how long datagrams stay in the server, from
 * arrival until their worker is done with them (a worker comes back for the next datagram when it has finished the
 * last one), and of those the shortest seen over the last {@link #INTERVAL_MILLIS}. That is CoDel's idea (RFC 8289):
 * a backlog that drains within the interval, after a garbage collection or a burst, lets at least one datagram
 * through quickly, so its minimum stays low, while a server that stays behind delays every datagram. Waiting in the
 * queue alone would not do: with more workers than cores, an overloaded server keeps its queue short while every
 * worker crawls, time-sliced. An average (tried first) could not tell the two apart: every collection pause of a
 * loaded server pushed it over the bound and refused calls that the server went on to handle. At debug level each
 * interval is logged (datagrams arrived and done, shortest and longest delay, queue length): a slowdown shows as
 * fewer done than arrived, interval after interval; a collection pause as one interval with few done.
 * <p>
 * The listening point reads one byte more than {@code sip.max-message-size}, so that a datagram over the limit is
 * recognisable by its length (the RI would cut it at the limit and parse the stump). Such a datagram never reaches
 * the stack: the worker that takes it hands it to the handler given in {@link #onOversized} (the valve, which
 * answers a request with 513) and goes on with the next one.
 */
public final class UdpReceiveQueue extends LinkedBlockingQueue<DatagramQueuedMessageDispatch> {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(UdpReceiveQueue.class);

    /**
     * Over how long the shortest delay is taken: long enough for the backlog of a collection pause (60-290 ms
     * measured under call load) to start draining, short enough to react to overload before queues stand for
     * seconds (with 1 s, twice the sustainable call rate left refusals waiting 2.3 s at p99).
     */
    static final long INTERVAL_MILLIS = 250;

    private final transient LongAdder dropped = new LongAdder();
    /** Datagrams offered, queued or dropped. */
    private final transient LongAdder arrived = new LongAdder();
    private final transient LongSupplier clock;

    /** Guards the interval being measured; a worker holds it for a comparison and a store. */
    private final transient Object windowLock = new Object();
    private long windowStart;
    private long windowShortest = Long.MAX_VALUE;
    /** For the debug log of each interval: its longest delay and how many datagrams it finished. */
    private long windowLongest;
    private int windowFinished;
    private long windowArrivedBefore;

    /** The shortest delay of the last complete interval, in milliseconds. */
    private volatile long standingDelayMillis;
    /** When a worker last finished a datagram. */
    private volatile long lastFinished;

    /** Per worker: arrival time of the datagram it is processing, 0 when none. */
    private final transient ThreadLocal<long[]> inService = ThreadLocal.withInitial(() -> new long[1]);

    private final int maxMessageSize;
    private transient volatile Consumer<DatagramPacket> oversized = datagram -> { };

    UdpReceiveQueue(int capacity, int maxMessageSize) {
        this(capacity, maxMessageSize, System::currentTimeMillis);
    }

    /** {@code clock}: milliseconds, in the time base of the datagrams' reception times. */
    UdpReceiveQueue(int capacity, int maxMessageSize, LongSupplier clock) {
        super(capacity);
        this.maxMessageSize = maxMessageSize;
        this.clock = clock;
    }

    /** Where datagrams longer than the limit go instead of to the stack. */
    void onOversized(Consumer<DatagramPacket> handler) {
        this.oversized = handler;
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch message) {
        arrived.increment();
        if (super.offer(message)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
        long[] current = finishedPrevious();
        DatagramQueuedMessageDispatch message = super.take();
        while (handledOversized(message)) {
            message = super.take();
        }
        return started(current, message);
    }

    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        long[] current = finishedPrevious();
        DatagramQueuedMessageDispatch message = super.poll(timeout, unit);
        // The RI's worker polls again on null.
        return handledOversized(message) ? null : started(current, message);
    }

    private boolean handledOversized(DatagramQueuedMessageDispatch message) {
        if (message == null || message.packet.getLength() <= maxMessageSize) {
            return false;
        }
        oversized.accept(message.packet);
        return true;
    }

    /** The calling worker is back for more, so the datagram it took last is done. */
    private long[] finishedPrevious() {
        long[] current = inService.get();
        if (current[0] != 0) {
            long now = clock.getAsLong();
            finished(now, now - current[0]);
            current[0] = 0;
        }
        return current;
    }

    private void finished(long now, long delayMillis) {
        lastFinished = now;
        long closedShortest = -1;
        long closedLongest = 0;
        long closedLength = 0;
        int closedFinished = 0;
        long closedArrived = 0;
        synchronized (windowLock) {
            long elapsed = now - windowStart;
            if (elapsed >= INTERVAL_MILLIS) {
                // After an idle spell the last interval says nothing about now.
                standingDelayMillis = elapsed < 2 * INTERVAL_MILLIS ? windowShortest : delayMillis;
                long arrivedNow = arrived.sum();
                closedArrived = arrivedNow - windowArrivedBefore;
                closedShortest = windowShortest;
                closedLongest = windowLongest;
                closedFinished = windowFinished;
                closedLength = elapsed;
                windowArrivedBefore = arrivedNow;
                windowStart = now;
                windowShortest = delayMillis;
                windowLongest = delayMillis;
                windowFinished = 1;
            } else {
                if (delayMillis < windowShortest) {
                    windowShortest = delayMillis;
                }
                if (delayMillis > windowLongest) {
                    windowLongest = delayMillis;
                }
                windowFinished++;
            }
        }
        if (closedShortest >= 0 && closedLength < 2 * INTERVAL_MILLIS && log.isDebugEnabled()) {
            log.debug("interval {} ms: {} datagrams arrived, {} done, delay shortest {} longest {} ms, {} queued",
                    closedLength, closedArrived, closedFinished, closedShortest, closedLongest, size());
        }
    }

    private static DatagramQueuedMessageDispatch started(long[] current, DatagramQueuedMessageDispatch message) {
        if (message != null) {
            current[0] = message.getReceptionTime();
        }
        return message;
    }

    /**
     * The standing delay: the shortest time a datagram took from arrival until processed over the last complete
     * interval, in milliseconds; 0 when nothing waits and no datagram was finished for two intervals.
     */
    public long delayMillis() {
        long delay = standingDelayMillis;
        // An idle server is not behind, however slow the last datagrams it served were. Without this, a server that
        // refuses all new work before queuing it (RawRefusals) and has no call in progress would never measure
        // again, and would refuse for ever.
        if (delay > 0 && isEmpty() && clock.getAsLong() - lastFinished >= 2 * INTERVAL_MILLIS) {
            return 0;
        }
        return delay;
    }

    /** Datagrams dropped on arrival because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }
}
