package io.sipserver.proxy.sip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

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
 *
 * <p>The processor reads one byte more than {@code sip.max-message-size}, so that a datagram over the limit is
 * recognisable by its length (the RI would cut it at the limit and parse the stump). Such a datagram never reaches
 * the stack: the worker that takes it hands it to the handler given in {@link #onOversized} (the valve, which
 * answers a request with 513) and goes on with the next one.
 */
public final class UdpReceiveQueue extends LinkedBlockingQueue<DatagramQueuedMessageDispatch> {

    private static final long serialVersionUID = 1L;
    private static final Field MESSAGE_QUEUE = processorField("messageQueue");
    private static final Field RECEIVE_BUFFER_SIZE = processorField("maxMessageSize");

    private final transient LongAdder dropped = new LongAdder();
    /** Weight of the newest wait: 1/2^WEIGHT_SHIFT. */
    private static final int WEIGHT_SHIFT = 5;

    /** Smoothed delay in microseconds. Workers update it without a lock: a lost update only delays the average. */
    private volatile long smoothedDelayMicros;

    /** Per worker: arrival time of the datagram it is processing, 0 when none. */
    private final transient ThreadLocal<long[]> inService = ThreadLocal.withInitial(() -> new long[1]);

    private final int maxMessageSize;
    private final transient MessageProcessor processor;
    private transient volatile BiConsumer<DatagramPacket, MessageProcessor> oversized = (datagram, on) -> { };

    UdpReceiveQueue(int capacity, int maxMessageSize, MessageProcessor processor) {
        super(capacity);
        this.maxMessageSize = maxMessageSize;
        this.processor = processor;
    }

    /**
     * Puts a new bounded queue into a UDP processor that has not started yet, and makes it read datagrams of up to
     * {@code maxMessageSize + 1} bytes.
     */
    static void install(UDPMessageProcessor processor, int capacity, int maxMessageSize) {
        try {
            MESSAGE_QUEUE.set(processor, new UdpReceiveQueue(capacity, maxMessageSize, processor));
            RECEIVE_BUFFER_SIZE.setInt(processor, maxMessageSize + 1);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot bound the UDP receive queue of JAIN-SIP", e);
        }
    }

    /** Where datagrams longer than the limit go, with the processor they came in on, instead of to the stack. */
    void onOversized(BiConsumer<DatagramPacket, MessageProcessor> handler) {
        this.oversized = handler;
    }

    /** The queue of a processor created by {@link InboundMessageProcessorFactory}. */
    static UdpReceiveQueue of(UDPMessageProcessor processor) {
        try {
            return (UdpReceiveQueue) MESSAGE_QUEUE.get(processor);
        } catch (IllegalAccessException | ClassCastException e) {
            throw new IllegalStateException("the UDP processor was not created with a bounded receive queue", e);
        }
    }

    private static Field processorField(String name) {
        try {
            Field f = UDPMessageProcessor.class.getDeclaredField(name);
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
        oversized.accept(message.packet, processor);
        return true;
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
