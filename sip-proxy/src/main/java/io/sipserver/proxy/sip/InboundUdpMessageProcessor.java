package io.sipserver.proxy.sip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import gov.nist.javax.sip.stack.UdpStackAccess;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP listening point of the stack, as JAIN-SIP 1.3.0-91's own but for three things. Its receive queue is a
 * bounded {@link UdpReceiveQueue}. It reads every datagram into one buffer and hands the workers a copy of the
 * datagram's own length: the RI allocates a fresh buffer of the maximum message size (16 KB) for each datagram,
 * which under call load was over a quarter of all the memory the server allocated, and every such buffer that
 * waits in the queue through a garbage collection gets copied by it. And before queuing a datagram, its reader
 * lets {@link RawRefusals} refuse new work under overload, drop the ACKs of refusals, challenge REGISTERs without
 * credentials and answer retransmitted REGISTERs, all unparsed, and tell new work from work in progress, which the
 * queue serves first; REGISTERs with credentials it queues for {@link RawRegistrations}, which the workers run
 * before the stack would parse them.
 */
final class InboundUdpMessageProcessor extends UDPMessageProcessor {

    private static final Logger log = LoggerFactory.getLogger(InboundUdpMessageProcessor.class);

    private static final int MAX_FAILURES_LOGGED = 10;

    private final UdpReceiveQueue queue;
    private final int workers;
    private final int maxMessageSize;
    private final String stackName;
    private final RawRefusals rawRefusals;
    private int failuresLogged;

    InboundUdpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port, String stackName,
            int queueCapacity) throws IOException {
        super(address, stack, port);
        this.workers = UdpStackAccess.workerThreads(stack);
        if (workers < 1) {
            throw new IllegalArgumentException("the UDP listening point needs a worker pool, got " + workers);
        }
        UdpStackAccess.sendFromListeningPoints(stack);
        this.maxMessageSize = stack.getMaxMessageSize();
        this.queue = new UdpReceiveQueue(queueCapacity, maxMessageSize);
        this.messageQueue = queue;
        this.stackName = stackName;
        this.rawRefusals = new RawRefusals(maxMessageSize, key -> stack.findTransaction(key, true) != null);
    }

    UdpReceiveQueue queue() {
        return queue;
    }

    RawRefusals rawRefusals() {
        return rawRefusals;
    }

    /**
     * From now on, REGISTERs with credentials that {@code registrations} applies to are queued unparsed for it
     * (unless {@code guards} stop them), and answered on this listening point's socket.
     */
    void serveUnparsed(RawRegistrations registrations, InboundValve guards) {
        queue.onUnparsed(datagram -> registrations.handle(datagram, sock));
        rawRefusals.registerWith(registrations, guards);
    }

    /** Where datagrams over the size limit go, with this listening point, instead of to the stack. */
    void onOversized(BiConsumer<DatagramPacket, MessageProcessor> handler) {
        queue.onOversized(datagram -> handler.accept(datagram, this));
    }

    @Override
    public void run() {
        LinkedList<UDPMessageChannel> channels = new LinkedList<>();
        for (int i = 0; i < workers; i++) {
            channels.add(UdpStackAccess.startWorker(sipStack, this, stackName + "-UDPMessageChannelThread-" + i));
        }
        messageChannels = channels;
        // One byte more than the limit: a datagram that fills it is over the limit (see UdpReceiveQueue).
        byte[] buffer = new byte[maxMessageSize + 1];
        DatagramPacket reception = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                reception.setLength(buffer.length);
                sock.receive(reception);
                int length = reception.getLength();
                RawRefusals.Disposition disposition = length <= maxMessageSize
                        ? rawRefusals.handled(buffer, length, reception.getAddress(), reception.getPort(), sock)
                        : RawRefusals.Disposition.QUEUE;
                if (disposition == RawRefusals.Disposition.DONE) {
                    continue;
                }
                DatagramPacket datagram = new DatagramPacket(Arrays.copyOf(buffer, length), length,
                        reception.getAddress(), reception.getPort());
                long received = System.currentTimeMillis();
                if (disposition == RawRefusals.Disposition.QUEUE_UNPARSED) {
                    if (!queue.offerUnparsed(datagram, received)) {
                        rawRefusals.notQueued();
                    }
                } else if (disposition == RawRefusals.Disposition.QUEUE_AS_NEW_WORK) {
                    queue.offerNewWork(new DatagramQueuedMessageDispatch(datagram, received));
                } else {
                    queue.offer(new DatagramQueuedMessageDispatch(datagram, received));
                }
            } catch (SocketException e) {
                if (!isRunning) {
                    return;
                }
                logFailure(e);
            } catch (IOException | RuntimeException e) {
                logFailure(e);
            }
        }
    }

    /** The first few failures only: a socket that fails for every datagram must not flood the log. */
    private void logFailure(Exception e) {
        if (failuresLogged < MAX_FAILURES_LOGGED) {
            failuresLogged++;
            log.warn("UDP receive on port {} failed{}: {}", getPort(),
                    failuresLogged == MAX_FAILURES_LOGGED ? " (further failures are not logged)" : "", e.toString());
        }
    }
}
