package io.sipserver.proxy.sip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import java.net.DatagramPacket;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue between a UDP listening point's reader thread and the stack's worker threads. JAIN-SIP 1.3.0-91's own
 * is unbounded, so a burst the workers cannot absorb grows it until the heap is gone; this one holds at most
 * {@code capacity} datagrams and drops new arrivals beyond that (as a full socket buffer would).
 * <p>
 * It has two lanes. Requests that start new work (an INVITE outside a dialog, a REGISTER: the reader tells them
 * apart, see {@link RawRefusals}) wait in the second, and a worker takes one only when the first is empty: what
 * belongs to calls already accepted (responses, ACK, BYE, CANCEL, re-INVITEs) never waits behind new calls. Under
 * overload a backlog of new INVITEs otherwise held up the ACKs and 200s of the calls in progress past their
 * clients' 500 ms retransmission timer, and the retransmissions and the calls that failed on them were the
 * congestion collapse that overload control exists to prevent.
 * <p>
 * It also measures the standing delay that overload control watches: how long new work stays in the server, from
 * arrival until its worker is done with it (a worker comes back for the next datagram when it has finished the
 * last one), and of those the shortest seen over the last {@link #INTERVAL_MILLIS}. That is CoDel's idea (RFC 8289):
 * a backlog that drains within the interval, after a garbage collection or a burst, lets at least one request
 * through quickly, so its minimum stays low, while a server that stays behind delays every one. Waiting in the
 * queue alone would not do: with more workers than cores, an overloaded server keeps its queue short while every
 * worker crawls, time-sliced. An average (tried first) could not tell the two apart: every collection pause of a
 * loaded server pushed it over the bound and refused calls that the server went on to handle. Only new work is
 * measured, as it waits for everything else: a server that cannot keep up with its calls in progress delays it
 * too. At debug level each interval is logged (new requests arrived and done, shortest and longest delay, queue
 * length): a slowdown shows as fewer done than arrived, interval after interval; a collection pause as one interval
 * with few done.
 * <p>
 * The listening point reads one byte more than {@code sip.max-message-size}, so that a datagram over the limit is
 * recognisable by its length (the RI would cut it at the limit and parse the stump). Such a datagram never reaches
 * the stack: the worker that takes it hands it to the handler given in {@link #onOversized} (the valve, which
 * answers a request with 513) and goes on with the next one.
 * <p>
 * The RI's workers call {@link #take()} and {@link #poll(long, TimeUnit)}, its reader {@link #offer}; the other
 * collection methods serve tests and tools, and {@link #put} drops rather than blocks, as {@code offer} does.
 */
public final class UdpReceiveQueue extends AbstractQueue<DatagramQueuedMessageDispatch>
        implements BlockingQueue<DatagramQueuedMessageDispatch> {

    private static final Logger log = LoggerFactory.getLogger(UdpReceiveQueue.class);

    /**
     * Over how long the shortest delay is taken: long enough for the backlog of a collection pause (60-290 ms
     * measured under call load) to start draining, short enough to react to overload before queues stand for
     * seconds (with 1 s, twice the sustainable call rate left refusals waiting 2.3 s at p99).
     */
    static final long INTERVAL_MILLIS = 250;

    private final int capacity;
    private final ConcurrentLinkedQueue<DatagramQueuedMessageDispatch> inProgress = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<DatagramQueuedMessageDispatch> newWork = new ConcurrentLinkedQueue<>();
    /** One permit per queued datagram: a worker that has one will find a datagram in one of the lanes. */
    private final Semaphore queued = new Semaphore(0);
    private final AtomicInteger size = new AtomicInteger();
    /** Datagrams in the second lane. */
    private final AtomicInteger newWorkSize = new AtomicInteger();

    private final LongAdder dropped = new LongAdder();
    /** New requests offered, queued or dropped. */
    private final LongAdder newArrived = new LongAdder();
    private final LongSupplier clock;

    /** Guards the interval being measured; a worker holds it for a comparison and a store. */
    private final Object windowLock = new Object();
    private long windowStart;
    private long windowShortest = Long.MAX_VALUE;
    /** For the debug log of each interval: its longest delay and how many new requests it finished. */
    private long windowLongest;
    private int windowFinished;
    private long windowArrivedBefore;

    /** The shortest delay of new work in the last complete interval, in milliseconds. */
    private volatile long standingDelayMillis;
    /** New requests finished per second over the last complete interval. */
    private volatile double donePerSecond;
    /** When a worker last finished a new request. */
    private volatile long lastFinished;

    /** Per worker: arrival time of the new request it is processing, 0 when none. */
    private final ThreadLocal<long[]> inService = ThreadLocal.withInitial(() -> new long[1]);

    private final int maxMessageSize;
    private volatile Consumer<DatagramPacket> oversized = datagram -> { };
    private volatile Predicate<DatagramPacket> unparsed = datagram -> false;

    UdpReceiveQueue(int capacity, int maxMessageSize) {
        this(capacity, maxMessageSize, System::currentTimeMillis);
    }

    /** {@code clock}: milliseconds, in the time base of the datagrams' reception times. */
    UdpReceiveQueue(int capacity, int maxMessageSize, LongSupplier clock) {
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.clock = clock;
    }

    /** Where datagrams longer than the limit go instead of to the stack. */
    void onOversized(Consumer<DatagramPacket> handler) {
        this.oversized = handler;
    }

    /** Queues a datagram of work in progress (or one the reader could not classify). */
    @Override
    public boolean offer(DatagramQueuedMessageDispatch message) {
        return enqueue(inProgress, message);
    }

    /**
     * Queues a request that starts new work as {@link #offerNewWork} does, for the handler given in
     * {@link #onUnparsed}: the worker that takes it hands it there first, and to the stack only when the handler
     * says it did not take it.
     */
    boolean offerUnparsed(DatagramPacket datagram, long receptionTime) {
        return offerNewWork(new Unparsed(datagram, receptionTime));
    }

    /** Who takes the datagrams queued {@link #offerUnparsed unparsed}: true when it took one. */
    void onUnparsed(Predicate<DatagramPacket> handler) {
        this.unparsed = handler;
    }

    /** Queues a request that starts new work: taken only when nothing else waits, and measured. */
    public boolean offerNewWork(DatagramQueuedMessageDispatch message) {
        newArrived.increment();
        if (!enqueue(newWork, message)) {
            return false;
        }
        newWorkSize.incrementAndGet();
        return true;
    }

    private boolean enqueue(ConcurrentLinkedQueue<DatagramQueuedMessageDispatch> lane,
            DatagramQueuedMessageDispatch message) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.increment();
            return false;
        }
        lane.add(message);
        queued.release();
        return true;
    }

    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
        while (true) {
            long[] current = finishedPrevious();
            queued.acquire();
            DatagramQueuedMessageDispatch message = next(current);
            if (!handledHere(message, current)) {
                return message;
            }
        }
    }

    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        long[] current = finishedPrevious();
        if (!queued.tryAcquire(timeout, unit)) {
            return null;
        }
        DatagramQueuedMessageDispatch message = next(current);
        // The RI's worker polls again on null.
        return handledHere(message, current) ? null : message;
    }

    @Override
    public DatagramQueuedMessageDispatch poll() {
        return queued.tryAcquire() ? next(null) : null;
    }

    /**
     * Removes the next datagram, work in progress first, for a caller that holds a permit; marks a new request as
     * in service in {@code current} when given.
     */
    private DatagramQueuedMessageDispatch next(long[] current) {
        while (true) {
            DatagramQueuedMessageDispatch message = inProgress.poll();
            boolean isNew = message == null;
            if (isNew) {
                message = newWork.poll();
                if (message != null) {
                    newWorkSize.decrementAndGet();
                }
            }
            if (message != null) {
                size.decrementAndGet();
                if (current != null) {
                    current[0] = isNew ? message.getReceptionTime() : 0;
                }
                return message;
            }
            // Another worker took the datagram of this permit while this one looked at the other lane; the datagram
            // of that worker's permit is in a lane already.
            Thread.onSpinWait();
        }
    }

    /**
     * Whether the worker dealt with {@code message} here: an oversized datagram goes to its handler (not measured),
     * a datagram queued {@link #offerUnparsed unparsed} to the unparsed handler (measured as new work, when it took
     * it). Nothing may escape: the RI's worker thread would end.
     */
    private boolean handledHere(DatagramQueuedMessageDispatch message, long[] current) {
        if (message.packet.getLength() > maxMessageSize) {
            current[0] = 0;
            oversized.accept(message.packet);
            return true;
        }
        if (message instanceof Unparsed) {
            try {
                return unparsed.test(message.packet);
            } catch (RuntimeException e) {
                log.warn("a datagram queued unparsed failed; it goes to the stack", e);
            }
        }
        return false;
    }

    /** A datagram that a handler may take before the stack parses it ({@link #offerUnparsed}). */
    private static final class Unparsed extends DatagramQueuedMessageDispatch {
        Unparsed(DatagramPacket packet, long time) {
            super(packet, time);
        }
    }

    @Override
    public DatagramQueuedMessageDispatch peek() {
        DatagramQueuedMessageDispatch message = inProgress.peek();
        return message != null ? message : newWork.peek();
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public Iterator<DatagramQueuedMessageDispatch> iterator() {
        return Stream.concat(inProgress.stream(), newWork.stream()).iterator();
    }

    @Override
    public void put(DatagramQueuedMessageDispatch message) {
        offer(message);
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch message, long timeout, TimeUnit unit) {
        return offer(message);
    }

    @Override
    public int remainingCapacity() {
        return Math.max(0, capacity - size.get());
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> target) {
        return drainTo(target, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> target, int maxElements) {
        int n = 0;
        DatagramQueuedMessageDispatch message;
        while (n < maxElements && (message = poll()) != null) {
            target.add(message);
            n++;
        }
        return n;
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
                donePerSecond = windowFinished * 1000.0 / elapsed;
                long arrivedNow = newArrived.sum();
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
            log.debug("interval {} ms: {} new requests arrived, {} done, delay shortest {} longest {} ms, {} queued",
                    closedLength, closedArrived, closedFinished, closedShortest, closedLongest, size());
        }
    }

    /**
     * The standing delay: the shortest time a new request took from arrival until processed over the last complete
     * interval, in milliseconds; 0 when no new request waits and none was finished for two intervals.
     */
    public long delayMillis() {
        long delay = standingDelayMillis;
        // An idle server is not behind, however slow the last requests it served were. Without this, a server that
        // refuses all new work before queuing it (RawRefusals) would never measure again, and would refuse for ever.
        if (delay > 0 && newWork.isEmpty() && clock.getAsLong() - lastFinished >= 2 * INTERVAL_MILLIS) {
            return 0;
        }
        return delay;
    }

    /**
     * Whether the calling worker is processing a datagram it took from the second lane: a request that the reader
     * let through as new work (see {@link RawRefusals}).
     */
    public boolean servingNewWork() {
        return inService.get()[0] != 0;
    }

    /** New requests waiting for a worker now. */
    public int newWorkQueued() {
        return newWorkSize.get();
    }

    /**
     * New requests the workers finished per second over the last complete interval; 0 when none was finished for
     * two intervals.
     */
    public double newWorkDonePerSecond() {
        return clock.getAsLong() - lastFinished >= 2 * INTERVAL_MILLIS ? 0 : donePerSecond;
    }

    /** Datagrams dropped on arrival because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }
}
