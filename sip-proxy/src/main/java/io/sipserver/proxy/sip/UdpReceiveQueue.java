package io.sipserver.proxy.sip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.lang.reflect.Field;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The queue between a UDP listening point's reader thread and the stack's worker threads. JAIN-SIP 1.3.0-91's own
 * is unbounded, so a burst the workers cannot absorb grows it until the heap is gone; this one holds at most
 * {@code capacity} datagrams and drops new arrivals beyond that (as a full socket buffer would). It also tracks how
 * long datagrams stay in the server, from arrival until their worker is done with them (a worker comes back for
 * the next datagram when it has finished the last one), smoothed over the last few dozen (an exponentially
 * weighted average): the processing delay that overload control watches. Waiting in the queue alone is not
 * enough: with more workers than cores, an overloaded server keeps its queue short while every worker crawls,
 * time-sliced. Smoothing keeps a single stall (a garbage collection, a burst of a few hundred datagrams) from
 * looking like overload, while a server that stays behind moves the average within a few dozen datagrams.
 */
public final class UdpReceiveQueue extends LinkedBlockingQueue<DatagramQueuedMessageDispatch> {

    private static final long serialVersionUID = 1L;
    private static final Field MESSAGE_QUEUE = messageQueueField();

    private final transient LongAdder dropped = new LongAdder();
    /** Weight of the newest wait: 1/2^WEIGHT_SHIFT. */
    private static final int WEIGHT_SHIFT = 5;

    /** Smoothed delay in microseconds. Workers update it without a lock: a lost update only delays the average. */
    private volatile long smoothedDelayMicros;

    /** Per worker: arrival time of the datagram it is processing, 0 when none. */
    private final transient ThreadLocal<long[]> inService = ThreadLocal.withInitial(() -> new long[1]);

    UdpReceiveQueue(int capacity) {
        super(capacity);
    }

    /** Puts a new bounded queue into a UDP processor that has not started yet. */
    static void install(UDPMessageProcessor processor, int capacity) {
        try {
            MESSAGE_QUEUE.set(processor, new UdpReceiveQueue(capacity));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot bound the UDP receive queue of JAIN-SIP", e);
        }
    }

    /** The queue of a processor created by {@link InboundMessageProcessorFactory}. */
    static UdpReceiveQueue of(UDPMessageProcessor processor) {
        try {
            return (UdpReceiveQueue) MESSAGE_QUEUE.get(processor);
        } catch (IllegalAccessException | ClassCastException e) {
            throw new IllegalStateException("the UDP processor was not created with a bounded receive queue", e);
        }
    }

    private static Field messageQueueField() {
        try {
            Field f = UDPMessageProcessor.class.getDeclaredField("messageQueue");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch message) {
        if (super.offer(message)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
        long[] current = finishedPrevious();
        return started(current, super.take());
    }

    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        long[] current = finishedPrevious();
        return started(current, super.poll(timeout, unit));
    }

    /** The calling worker is back for more, so the datagram it took last is done. */
    private long[] finishedPrevious() {
        long[] current = inService.get();
        if (current[0] != 0) {
            long delayMicros = (System.currentTimeMillis() - current[0]) * 1000;
            long average = smoothedDelayMicros;
            smoothedDelayMicros = average + ((delayMicros - average) >> WEIGHT_SHIFT);
            current[0] = 0;
        }
        return current;
    }

    private static DatagramQueuedMessageDispatch started(long[] current, DatagramQueuedMessageDispatch message) {
        if (message != null) {
            current[0] = message.getReceptionTime();
        }
        return message;
    }

    /** How long datagrams have lately stayed from arrival until processed, in milliseconds (smoothed). */
    public long delayMillis() {
        return smoothedDelayMicros / 1000;
    }

    /** Datagrams dropped on arrival because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }
}
