package io.sipserver.proxy.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.sipserver.config.OverloadProperties;
import io.sipserver.config.SipProperties;
import io.sipserver.proxy.guard.AuthFailureTracker;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.auth.DigestAuthenticator;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * One configured JAIN-SIP stack with its UDP and TCP listening points on {@code sip.host:sip.port}, and the
 * factories the routing code needs. The stack properties are where JAIN-SIP 1.3.0-91's defaults are unsafe, so
 * each is explained.
 */
public final class SipStackRuntime implements AutoCloseable {

    private static final AtomicInteger STACKS = new AtomicInteger();

    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addressFactory;
    private final HeaderFactory headerFactory;
    private final MessageFactory messageFactory;
    private final List<UdpReceiveQueue> udpQueues;
    private final List<RawRefusals> rawRefusals;
    /**
     * Answers to REGISTERs served unparsed kept per UDP listening point: 5 s of them at 40,000 REGISTER/s, a bound
     * on memory (about 600 bytes each) rather than a limit on the rate.
     */
    private static final int REGISTER_ANSWERS = 200_000;
    private final List<InboundUdpMessageProcessor> udpPoints;
    private final List<RegisterAnswers> registerAnswers = new ArrayList<>();
    /** What the start-up warm-up runs REGISTERs through, once they are served unparsed. */
    private volatile RawRegistrations rehearsal;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile SipTraffic traffic = SipTraffic.NONE;

    private SipStackRuntime(SipStack stack, SipProvider provider, SipFactory factory) throws Exception {
        this.stack = stack;
        this.provider = provider;
        this.addressFactory = factory.createAddressFactory();
        this.headerFactory = factory.createHeaderFactory();
        this.messageFactory = factory.createMessageFactory();
        this.udpQueues = new ArrayList<>();
        this.rawRefusals = new ArrayList<>();
        this.udpPoints = new ArrayList<>();
        for (ListeningPoint point : provider.getListeningPoints()) {
            if (((ListeningPointImpl) point).getMessageProcessor() instanceof InboundUdpMessageProcessor udp) {
                udp.onOversized(inboundValve()::refuseOversized);
                udpQueues.add(udp.queue());
                rawRefusals.add(udp.rawRefusals());
                udpPoints.add(udp);
            }
        }
    }

    /** Creates the stack and binds its listening points (UDP first, then TCP). */
    public static SipStackRuntime start(SipProperties sip, OverloadProperties overload, SipListener listener)
            throws Exception {
        CommentFreeViaParser.install();
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        SipStack stack = factory.createSipStack(stackProperties(sip, overload));
        try {
            List<ListeningPoint> points = new ArrayList<>();
            for (SipProperties.Transport t : sip.transports()) {
                points.add(stack.createListeningPoint(sip.host(), sip.port(), t.name().toLowerCase()));
            }
            SipProvider provider = stack.createSipProvider(points.get(0));
            for (int i = 1; i < points.size(); i++) {
                provider.addListeningPoint(points.get(i));
            }
            provider.addSipListener(listener);
            // No automatic dialogs on this provider either: the proxy keeps its own small dialog records.
            provider.setAutomaticDialogSupportEnabled(false);
            stack.start();
            return new SipStackRuntime(stack, provider, factory);
        } catch (Exception e) {
            stack.stop();
            throw e;
        }
    }

    static Properties stackProperties(SipProperties sip, OverloadProperties overload) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "sip-server-" + STACKS.incrementAndGet());
        // A proxy is dialog-stateless at the transaction layer: the stack must not create dialogs, nor apply UAS
        // merged-request (482) rules meant for user agents.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "false");
        // Unset, the RI starts a new thread per UDP datagram. A fixed pool drains the receive queue instead; with
        // a re-entrant listener the routing code runs on those threads, concurrently, with no event-scanner hop.
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(sip.threadPoolSize()));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Also sizes the UDP receive buffer (one byte more, see UdpReceiveQueue). Bigger TCP messages are refused (DoS
        // guard); bigger UDP requests get 513 from the valve.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(sip.maxMessageSize()));
        // The 8 KiB default socket buffers drop datagrams under bursts.
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "4194304");
        // Drop a transaction's parsed messages once it completes and keep no bytes to re-parse them from: the
        // proxy never reads a finished transaction's request. The "Normal" strategy (AGGRESSIVE_CLEANUP=true)
        // encodes each request again at completion and parses it once more at termination.
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Aggressive");
        // Only user agents with dialogs need fork timers.
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "0");
        // Forget a transaction as soon as it terminates (at the stack's next 500 ms tick) instead of 8 s later: a
        // lingering transaction keeps its request and last response, so at 2,500 calls/s every young collection
        // copied ~75 MB of finished INVITEs and their 200s (pauses 60-110 ms, p99 88-240 ms); with no linger, 3,250
        // calls/s ran with 111 % CPU instead of 124-128 % and a p99 of 52 ms. The RFC timers (H, I, J, K, D) still
        // hold a transaction as long as retransmissions may come; connections are cached (the RI's default), so
        // TCP does not depend on the linger either. INVITE retransmissions after the 2xx are absorbed by the call
        // record (CallRoutingStage), as RFC 6026's Accepted state would.
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "0");
        // Transaction timers that are forgotten when cancelled (see StackTimer).
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", StackTimer.class.getName());
        // Lets the proxy send a request to a registered phone's source address (NAT pinhole): see TargetRouter.
        p.setProperty("javax.sip.ROUTER_PATH", TargetRouter.class.getName());
        p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
        // Logging into SLF4J; message content logging off by default (it dominates cost under load).
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");
        // Responses without a transaction bypass the stack's linear search of its client transactions.
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", InboundValve.class.getName());
        // The RI's UDP receive queue is unbounded: a burst beyond what the workers absorb would fill the heap.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", InboundMessageProcessorFactory.class.getName());
        p.setProperty(InboundMessageProcessorFactory.QUEUE_CAPACITY, Integer.toString(overload.queueCapacity()));
        // The RI's parser with a reflection-free way to each header's parser (see SipMessageParser).
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", SipMessageParserFactory.class.getName());
        // Its own stale-message reaper would hold the replaced queue; the overload guard keeps the wait short.
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "0");
        // Answer RFC 5626 CRLF keep-alives on TCP.
        p.setProperty("gov.nist.javax.sip.MIN_KEEPALIVE_TIME_SECONDS", "1");
        return p;
    }

    public SipStack stack() {
        return stack;
    }

    /** The stack's valve: request guards and responses without a transaction. */
    public InboundValve inboundValve() {
        for (Object valve : transactionStack().sipMessageValves) {
            if (valve instanceof InboundValve v) {
                return v;
            }
        }
        throw new IllegalStateException("the stack was created without its InboundValve");
    }

    /** Standing delay of new UDP requests, arrival until processed (UdpReceiveQueue; the slowest listener), ms. */
    public long udpDelayMillis() {
        return udpQueues.stream().mapToLong(UdpReceiveQueue::delayMillis).max().orElse(0);
    }

    /** UDP datagrams waiting for a worker now. */
    public int udpQueuedMessages() {
        return udpQueues.stream().mapToInt(UdpReceiveQueue::size).sum();
    }

    /**
     * Whether the calling thread is processing a new request that a UDP reader let through (the second lane). Asked
     * for every new request, so a loop rather than a stream.
     */
    public boolean servingUdpNewWork() {
        for (UdpReceiveQueue queue : udpQueues) {
            if (queue.servingNewWork()) {
                return true;
            }
        }
        return false;
    }

    /** New UDP requests waiting for a worker now (UdpReceiveQueue's second lane). */
    public int udpQueuedNewWork() {
        return udpQueues.stream().mapToInt(UdpReceiveQueue::newWorkQueued).sum();
    }

    /** New UDP requests the workers finished per second, lately. */
    public double udpNewWorkDonePerSecond() {
        return udpQueues.stream().mapToDouble(UdpReceiveQueue::newWorkDonePerSecond).sum();
    }

    /** UDP datagrams dropped on arrival because a receive queue was full. */
    public long udpDatagramsDropped() {
        return udpQueues.stream().mapToLong(UdpReceiveQueue::dropped).sum();
    }

    /**
     * Lets the UDP listening points refuse new work with {@code guard}'s verdict from the datagrams' bytes, before
     * parsing; the guard must also be among the valve's, which decides for whatever they let through.
     */
    public void refuseNewWorkUnparsed(NewWorkGuard guard) {
        for (RawRefusals refusals : rawRefusals) {
            refusals.refuseWith(guard);
        }
    }

    /**
     * Lets the UDP listening points serve REGISTERs from the datagrams' bytes, as the request pipeline serves them:
     * those without credentials get their challenge from the reader ({@link RawRegisterChallenges}); those with
     * credentials go to the workers unparsed ({@link RawRegistrations}), subject to the valve's guards; what either
     * does not take goes on to the stack and the pipeline.
     *
     * @param realm the realm of the pipeline's challenges
     * @param replies where answers are sent once the registrar's change is durable
     */
    public void serveRegistersUnparsed(LocalAddresses local, String realm, DigestAuthenticator authenticator,
            AuthFailureTracker failures, LocationService locations, Clock clock, Executor replies) {
        RawRegisterChallenges challenges = new RawRegisterChallenges(local, () -> authenticator.challenges(false));
        for (InboundUdpMessageProcessor point : udpPoints) {
            RegisterAnswers answers = new RegisterAnswers(REGISTER_ANSWERS);
            registerAnswers.add(answers);
            RawRegistrations registrations = new RawRegistrations(challenges, realm, local.domain(), authenticator,
                    failures, locations, addressFactory, clock, replies, answers, this::traffic,
                    transactionStack().getMaxMessageSize());
            point.rawRefusals().challengeWith(challenges, inboundValve());
            point.serveUnparsed(registrations, inboundValve());
            rehearsal = registrations;
        }
    }

    /**
     * Runs a REGISTER through the path of REGISTERs served unparsed without verifying, storing, sending or counting
     * anything, for the start-up warm-up; 0 when no UDP listening point serves them.
     *
     * @return the length of the answer written
     * @throws IllegalStateException when the REGISTER is not one that path takes
     */
    public int rehearseUnparsedRegister(byte[] register, InetAddress source, int sourcePort) {
        RawRegistrations registrations = rehearsal;
        return registrations == null ? 0 : registrations.rehearse(register, source, sourcePort);
    }

    /**
     * Drops the answers to REGISTERs served unparsed that are past their 5 s (traffic drops them as it comes, a quiet
     * server only here) and returns how many are still kept.
     */
    public int expireRegisterAnswers() {
        return registerAnswers.stream().mapToInt(RegisterAnswers::size).sum();
    }

    /**
     * Counts what the stack receives (through its valve and the UDP readers' raw refusals) and the responses sent
     * through {@link SipMessages}.
     */
    public void countTrafficWith(SipTraffic counters) {
        this.traffic = counters;
        inboundValve().countWith(counters);
        for (RawRefusals refusals : rawRefusals) {
            refusals.countWith(counters);
        }
    }

    public SipTraffic traffic() {
        return traffic;
    }

    /** Server transactions in the stack's table now (a terminated one stays until the stack removes it). */
    public int serverTransactions() {
        return transactionStack().getServerTransactionTableSize();
    }

    /** Whether the stack already has a server transaction for this request, i.e. it is a retransmission. */
    public boolean hasServerTransaction(SIPRequest request) {
        return transactionStack().findTransaction(request, true) != null;
    }

    /** Client transactions in the stack's table now. */
    public int clientTransactions() {
        return transactionStack().getClientTransactionTableSize();
    }

    /** False once the stack has been stopped. */
    public boolean running() {
        return transactionStack().isAlive();
    }

    private SIPTransactionStack transactionStack() {
        return (SIPTransactionStack) stack;
    }

    /** The parser the stack's listening points parse received messages with. */
    public MessageParser messageParser() {
        return transactionStack().getMessageParserFactory().createMessageParser(transactionStack());
    }

    public SipProvider provider() {
        return provider;
    }

    public AddressFactory addressFactory() {
        return addressFactory;
    }

    public HeaderFactory headerFactory() {
        return headerFactory;
    }

    public MessageFactory messageFactory() {
        return messageFactory;
    }

    /** Stops the stack once; graceful shutdown stops it before Spring destroys this bean. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            stack.stop();
        }
    }
}
