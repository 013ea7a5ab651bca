package io.sipserver.relay.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.sipserver.config.RelayProperties;
import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.PortPool;
import io.sipserver.relay.RelayPortsExhaustedException;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayTraffic;
import io.sipserver.relay.RelayTrafficTally;
import io.sipserver.relay.Side;
import io.sipserver.relay.SocketAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The RTP relay on Netty UDP sockets: one bound channel per relay port, four per stream (RTP and RTCP facing
 * each side), all four on one event loop so that a stream's packet path is single-threaded. Each channel's
 * pipeline is latching, strict source, statistics, activity stamp and forwarding (see {@link RelayPipeline}).
 * With epoll, a port that has latched also gets a socket connected to its peer ({@link FastPath}).
 *
 * <p>A released stream keeps its sockets and waits in a pool for a later call ({@link #REUSE_AFTER_MILLIS}), dropping
 * every packet meanwhile. {@link #release} does not wait: the stream stops relaying at once, and a task on its event
 * loop resets it and puts it into the pool (or closes it, should that fail); these tasks are queued without waking
 * the loop ({@link #RETIREMENTS_PER_WAKE_UP}). A call served by a pooled stream waits for no event loop; only binding
 * a new stream ({@link #create}, {@link RelaySession#stream}) waits for its sockets to be bound, as does taking a
 * stream still being retired when the ports have run out, so these must not be called from a relay event loop. Media
 * timeouts are checked every second on a thread of their own, so that listeners (which end calls) never stall a
 * packet loop.
 */
public final class NettyMediaRelay implements MediaRelay {

    private static final Log log = LogFactory.getLog(NettyMediaRelay.class);
    /** Bounds every wait for the event loop to bind or close a socket, or to retire a stream. */
    private static final long SOCKET_TIMEOUT_MILLIS = 5_000;
    private static final int RECEIVE_BUFFER_BYTES = 2048;
    /**
     * A stream whose call ended is reused (its four sockets stay bound) rather than closed, because binding and
     * closing four sockets per call cost about a fifth of a call's CPU (measured: 3,100 against 2,350 CPU-us per call
     * with relay.mode=never). It waits this long first, so that its ports come back no sooner than a closed pair
     * would at low call rates; when the port range runs out, the oldest waiting stream is taken at once, as a closed
     * pair would be.
     */
    static final long REUSE_AFTER_MILLIS = 30_000;
    /**
     * Retirements are queued on their event loop without waking it, as waking a loop (a system call and a context
     * switch) costs more than the retirement itself: a queued retirement runs when the loop next wakes for packets
     * or timers, at every this many retirements queued on the loop, and at the latest within a second (a loop timer).
     * Streams still queued count as free ports; a call that finds none other wakes the loops and waits for them.
     */
    static final int RETIREMENTS_PER_WAKE_UP = 16;
    /** Enough for the JIT to compile the packet path with C2 ({@link #warmUp}). */
    public static final int WARM_UP_PACKETS = 30_000;

    private final String advertisedAddress;
    private final Clock clock;
    private final long mediaTimeoutMillis;
    private final InetAddress bindAddress;
    private final String portRange;
    private final PortPool ports;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final boolean fastPath;
    /** Retirements queued so far on each event loop (for {@link #RETIREMENTS_PER_WAKE_UP}). */
    private final Map<EventExecutor, AtomicInteger> retirementsQueued = new IdentityHashMap<>();
    private final Map<String, NettyRelaySession> sessions = new ConcurrentHashMap<>();
    /** Streams between two calls, oldest first, with when they were retired. Guarded by itself, as are the next two. */
    private final ArrayDeque<IdleStream> idleStreams = new ArrayDeque<>();
    /** Released streams whose event loop has not yet put them into {@link #idleStreams}. */
    private int retiring;
    /** Set by {@link #close}: streams retired from then on are closed rather than pooled. */
    private boolean closing;
    private final List<Consumer<RelaySession>> timeoutListeners = new CopyOnWriteArrayList<>();
    private final RelayTrafficTally traffic = new RelayTrafficTally();
    private final ScheduledExecutorService timeoutScanner;

    /**
     * @param advertisedAddress the address written into SDP (the app resolves an empty {@code relay.advertised-address}
     *                          to {@code sip.advertised-address})
     * @param clock time of packets and of media timeouts
     */
    public NettyMediaRelay(RelayProperties properties, String advertisedAddress, Clock clock) {
        this(properties, advertisedAddress, clock, RelayTransport.best());
    }

    NettyMediaRelay(RelayProperties properties, String advertisedAddress, Clock clock, RelayTransport transport) {
        if (advertisedAddress == null || advertisedAddress.isBlank()) {
            throw new IllegalArgumentException("relay.advertised-address (or sip.advertised-address) must be set");
        }
        this.advertisedAddress = advertisedAddress;
        this.clock = clock;
        this.mediaTimeoutMillis = properties.mediaTimeout().toMillis();
        this.bindAddress = SocketAddresses.literal(properties.host()).orElseThrow(
                () -> new IllegalArgumentException("relay.host must be an IP address: '" + properties.host() + "'"));
        this.portRange = properties.portMin() + ".." + properties.portMax();
        this.ports = new PortPool(properties.portMin(), properties.portMax());
        int threads = properties.ioThreads() == 0 ? defaultIoThreads(Runtime.getRuntime().availableProcessors())
                : properties.ioThreads();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("media-relay", true),
                transport.ioHandlerFactory());
        this.bootstrap = new Bootstrap()
                .channelFactory(transport.channelFactory(
                        bindAddress instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6))
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // One datagram per read: RTP trickles in at 50 packets/s per socket, so a second read per
                // readiness event would nearly always come back empty (and cost a system call). For the same
                // reason recvmmsg (MAX_DATAGRAM_PAYLOAD_SIZE with a larger buffer) does not pay: measured with
                // batches of 8 at 800 streams, it cost 8 % more CPU, as it fills one datagram per call anyway.
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(RECEIVE_BUFFER_BYTES).maxMessagesPerRead(1))
                // Reading starts once all four sockets of a stream are bound and know each other.
                .option(ChannelOption.AUTO_READ, false);
        transport.configure(bootstrap);
        for (EventExecutor loop : group) {
            retirementsQueued.put(loop, new AtomicInteger());
            loop.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
        }
        this.fastPath = transport.hasFastPath();
        this.timeoutScanner = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("media-relay-timeouts", true));
        timeoutScanner.scheduleWithFixedDelay(this::expireSilentSessionsSafely, 1, 1, TimeUnit.SECONDS);
        log.info("media relay: " + transport + ", " + threads + " I/O threads, ports " + portRange + " ("
                + ports.capacity() + " pairs), advertised as " + advertisedAddress + ", media timeout "
                + Duration.ofMillis(mediaTimeoutMillis).toSeconds() + " s");
    }

    @Override
    public RelaySession create(String callId) throws RelayPortsExhaustedException {
        if (callId == null || callId.isBlank()) {
            throw new IllegalArgumentException("callId is required");
        }
        NettyRelaySession session = new NettyRelaySession(UUID.randomUUID().toString(), callId, clock.instant(),
                this::openStream);
        session.stream(0);
        sessions.put(session.id(), session);
        return session;
    }

    @Override
    public Optional<RelaySession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public Collection<RelaySession> sessions() {
        return List.copyOf(sessions.values());
    }

    @Override
    public boolean release(String id) {
        NettyRelaySession session = sessions.remove(id);
        if (session == null) {
            return false;
        }
        closeStreams(session);
        return true;
    }

    @Override
    public void onMediaTimeout(Consumer<RelaySession> listener) {
        timeoutListeners.add(listener);
    }

    @Override
    public String advertisedAddress() {
        return advertisedAddress;
    }

    @Override
    public int freePortPairs() {
        synchronized (idleStreams) {
            return ports.freePairs() + 2 * (idleStreams.size() + retiring);
        }
    }

    @Override
    public boolean running() {
        return !group.isShuttingDown();
    }

    @Override
    public RelayTraffic traffic() {
        return traffic.total(sessions.values());
    }

    @Override
    public void close() {
        timeoutScanner.shutdownNow();
        for (String id : List.copyOf(sessions.keySet())) {
            release(id);
        }
        List<IdleStream> pooled;
        synchronized (idleStreams) {
            closing = true;
            pooled = List.copyOf(idleStreams);
            idleStreams.clear();
        }
        for (IdleStream idle : pooled) {
            if (!onLoop(idle.stream(), () -> closeOnLoop(idle.stream()), true)) {
                releasePorts(idle.stream());
            }
        }
        // Shutting down runs the tasks queued so far (retirements included) before the loops end.
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * Relays {@code packets} RTP packets each way through one stream between two local endpoints
     * ({@link PacketPathWarmUp}), so that the packet path is compiled before the first call; the stream then waits
     * in the idle pool like any released one. Neither a session nor the traffic totals see these packets. Call once,
     * after start and before calls arrive (not from a relay event loop). Measured: {@value #WARM_UP_PACKETS} packets
     * each way take 1.4 s on the 2-core benchmark VM. A warm-up that fails is logged and the relay serves calls all the same.
     *
     * @return the packets that came through, of {@code 2 * packets}
     */
    public long warmUp(int packets) {
        long started = System.nanoTime();
        NettyRelayStream stream;
        try {
            stream = bindStream();
        } catch (RelayPortsExhaustedException e) {
            log.warn("relay warm-up skipped: " + e.getMessage());
            return 0;
        }
        InetAddress host = bindAddress.isAnyLocalAddress() ? loopback(bindAddress) : bindAddress;
        long through = 0;
        try (PacketPathWarmUp endpoints = new PacketPathWarmUp(host)) {
            stream.setPeer(Side.A, endpoints.addressA(), null);
            stream.setPeer(Side.B, endpoints.addressB(), null);
            through = endpoints.exchange(new InetSocketAddress(host, stream.rtpPort(Side.A)),
                    new InetSocketAddress(host, stream.rtpPort(Side.B)), packets);
        } catch (IOException | RuntimeException e) {
            log.warn("relay warm-up failed", e);
        } finally {
            retireToPool(stream, false);
        }
        log.info("media relay warmed up: " + through + " of " + 2L * packets + " packets relayed in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        return through;
    }

    /**
     * One event loop per core. On the 2-core benchmark machine one loop used 23 % less CPU than two for the same
     * 80,000 packets/s, but saturated near 1,200 streams and lost 30 % of the packets there, where two lost none:
     * losing audio is worse than spending CPU.
     */
    static int defaultIoThreads(int cores) {
        return Math.max(1, cores);
    }

    /** The loopback address of the wildcard address {@code wildcard}'s family. */
    private static InetAddress loopback(InetAddress wildcard) {
        return SocketAddresses.literal(wildcard instanceof Inet4Address ? "127.0.0.1" : "::1").orElseThrow();
    }

    /**
     * Ends every session that has had no packet for the media timeout: calls the listeners, then releases it.
     * Runs every second; tests call it directly after moving the clock.
     */
    void expireSilentSessions() {
        long now = clock.millis();
        for (NettyRelaySession session : sessions.values()) {
            if (now - session.lastPacketMillis() >= mediaTimeoutMillis && sessions.remove(session.id(), session)) {
                for (Consumer<RelaySession> listener : timeoutListeners) {
                    try {
                        listener.accept(session);
                    } catch (RuntimeException e) {
                        log.warn("media timeout listener failed for relay session " + session.id(), e);
                    }
                }
                closeStreams(session);
            }
        }
    }

    private void expireSilentSessionsSafely() {
        try {
            expireSilentSessions();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep scanning.
            log.error("media timeout scan failed", e);
        }
    }

    private NettyRelayStream openStream(NettyRelaySession session, int index) throws RelayPortsExhaustedException {
        NettyRelayStream stream = reuseIdleStream();
        if (stream == null) {
            try {
                stream = bindStream();
            } catch (RelayPortsExhaustedException e) {
                // No pair could be bound (all taken, or out of file descriptors): an idle stream of any age, even
                // one still being retired, is better than no call.
                stream = awaitIdleStream();
                if (stream == null) {
                    throw e;
                }
            }
        }
        stream.serve(session, clock.millis());
        return stream;
    }

    /**
     * The oldest idle stream once it has waited {@link #REUSE_AFTER_MILLIS}, or at once when ports run short;
     * null when none qualifies.
     */
    private NettyRelayStream reuseIdleStream() {
        synchronized (idleStreams) {
            IdleStream oldest = idleStreams.peekFirst();
            if (oldest == null
                    || clock.millis() - oldest.sinceMillis() < REUSE_AFTER_MILLIS && ports.freePairs() >= 2) {
                return null;
            }
            idleStreams.removeFirst();
            return oldest.stream();
        }
    }

    /**
     * The oldest idle stream of any age; when there is none but released streams are still being retired by their
     * event loops, wakes the loops and waits (briefly) for the first of them. Null when none comes.
     */
    private NettyRelayStream awaitIdleStream() {
        for (EventExecutor loop : group) {
            try {
                loop.execute(() -> { });
            } catch (RejectedExecutionException e) {
                return null;  // the relay is closing
            }
        }
        long left = TimeUnit.MILLISECONDS.toNanos(SOCKET_TIMEOUT_MILLIS);
        long deadline = System.nanoTime() + left;
        synchronized (idleStreams) {
            try {
                while (idleStreams.isEmpty() && retiring > 0 && !closing && left > 0) {
                    TimeUnit.NANOSECONDS.timedWait(idleStreams, left);
                    left = deadline - System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            IdleStream oldest = idleStreams.pollFirst();
            return oldest == null ? null : oldest.stream();
        }
    }

    private NettyRelayStream bindStream() throws RelayPortsExhaustedException {
        EventLoop loop = group.next();
        NettyRelayStream stream = new NettyRelayStream(clock.millis());
        stream.port(Side.A, bindPair(loop, stream, Side.A));
        try {
            stream.port(Side.B, bindPair(loop, stream, Side.B));
        } catch (RelayPortsExhaustedException e) {
            // Waits, so that the pair counts as free again when the caller hears that the ports ran out.
            loop.submit(() -> closeSideOnLoop(stream, Side.A)).awaitUninterruptibly(SOCKET_TIMEOUT_MILLIS);
            throw e;
        }
        for (Leg leg : stream.legs()) {
            leg.channel.config().setAutoRead(true);
        }
        return stream;
    }

    /**
     * Binds the RTP and RTCP sockets of {@code side} on a free pair and returns its RTP port. A pair whose bind
     * fails (another process holds one of its ports) goes back to the end of the free list and the next is tried,
     * at most once per pair that was free.
     */
    private int bindPair(EventLoop loop, NettyRelayStream stream, Side side) throws RelayPortsExhaustedException {
        Leg rtp = stream.leg(side, false);
        Leg rtcp = stream.leg(side, true);
        for (int attempts = ports.freePairs(); attempts > 0; attempts--) {
            int port = ports.acquire();
            if (port < 0) {
                break;
            }
            rtp.channel = bind(loop, stream, rtp, port);
            rtcp.channel = rtp.channel == null ? null : bind(loop, stream, rtcp, port + 1);
            if (rtcp.channel != null) {
                return port;
            }
            if (rtp.channel != null) {
                rtp.channel.close().awaitUninterruptibly(SOCKET_TIMEOUT_MILLIS);
                rtp.channel = null;
            }
            ports.release(port);
            log.warn("relay ports " + port + "/" + (port + 1) + " could not be bound; trying the next pair");
        }
        throw new RelayPortsExhaustedException("no free relay port pair left in " + portRange);
    }

    private Channel bind(EventLoop loop, NettyRelayStream stream, Leg leg, int port) {
        ChannelFuture bound = bootstrap.clone(loop).handler(pipeline(stream, leg))
                .bind(new InetSocketAddress(bindAddress, port));
        if (bound.awaitUninterruptibly(SOCKET_TIMEOUT_MILLIS) && bound.isSuccess()) {
            return bound.channel();
        }
        bound.channel().close();
        return null;
    }

    private ChannelInitializer<Channel> pipeline(NettyRelayStream stream, Leg leg) {
        FastPath connector = fastPath ? (latched, peer) -> connectFastPath(stream, latched, peer) : FastPath.NONE;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                RelayPipeline.install(channel.pipeline(), stream, leg, connector, clock, System::nanoTime);
            }
        };
    }

    /**
     * Replaces {@code leg}'s fast-path socket by one connected to {@code peer} (on the leg's event loop). Should that
     * fail, or the leg re-latch or close meanwhile, the leg simply goes on through its unconnected socket.
     */
    private void connectFastPath(NettyRelayStream stream, Leg leg, InetSocketAddress peer) {
        leg.closeFastPath();
        bootstrap.clone(leg.channel.eventLoop())
                .option(ChannelOption.AUTO_READ, true)
                .handler(pipeline(stream, leg))
                .connect(peer, leg.channel.localAddress())
                .addListener((ChannelFuture connecting) -> {
                    if (!connecting.isSuccess()) {
                        log.debug("no fast path to " + peer + ": " + connecting.cause());
                    } else if (peer != leg.latch.latched() || !leg.channel.isOpen()) {
                        connecting.channel().close();
                    } else {
                        leg.connected = connecting.channel();
                        leg.connectedTo = peer;
                    }
                });
    }

    /** Hands the session's streams back to be retired to the idle pool. */
    private void closeStreams(NettyRelaySession session) {
        for (NettyRelayStream stream : session.markReleased()) {
            retireToPool(stream, true);
        }
    }

    /**
     * Stops the stream relaying and has its event loop retire it to the idle pool, without waiting for that (nor,
     * mostly, waking the loop: {@link #RETIREMENTS_PER_WAKE_UP}).
     *
     * @param tallied whether its traffic counts in the relay's totals (a session's stream does, warm-up's not)
     */
    private void retireToPool(NettyRelayStream stream, boolean tallied) {
        stream.stopServing();
        synchronized (idleStreams) {
            retiring++;
        }
        boolean wake = retirementsQueued.get(stream.eventLoop()).incrementAndGet() % RETIREMENTS_PER_WAKE_UP == 0;
        if (!onLoop(stream, () -> retireOnLoop(stream, tallied), wake)) {
            synchronized (idleStreams) {
                retiring--;
            }
            releasePorts(stream);
        }
    }

    /** The stream's retirement proper, on its event loop: final statistics tallied, state reset, stream pooled. */
    private void retireOnLoop(NettyRelayStream stream, boolean tallied) {
        boolean retired = false;
        try {
            if (tallied) {
                traffic.retire(stream);
            }
            stream.retire();
            retired = true;
        } catch (RuntimeException e) {
            log.warn("relay stream on ports " + stream.rtpPort(Side.A) + "/" + stream.rtpPort(Side.B)
                    + " could not be retired; closing it", e);
        }
        synchronized (idleStreams) {
            retiring--;
            if (retired && !closing) {
                idleStreams.addLast(new IdleStream(stream, clock.millis()));
                idleStreams.notifyAll();
                return;
            }
        }
        closeOnLoop(stream);
    }

    private record IdleStream(NettyRelayStream stream, long sinceMillis) {
    }

    /**
     * Queues {@code task} on the stream's event loop, waking it or not. False when the loop refused it: it has shut
     * down (the relay is closing) and closed the stream's sockets itself, so only the ports are left to give back.
     */
    private static boolean onLoop(NettyRelayStream stream, Runnable task, boolean wake) {
        EventLoop loop = stream.eventLoop();
        try {
            if (wake) {
                loop.execute(task);
            } else {
                // The group's loops are Netty's single-threaded executors, which can queue without waking.
                ((AbstractEventExecutor) loop).lazyExecute(task);
            }
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void releasePorts(NettyRelayStream stream) {
        ports.release(stream.rtpPort(Side.A));
        ports.release(stream.rtpPort(Side.B));
    }

    private void closeOnLoop(NettyRelayStream stream) {
        closeSideOnLoop(stream, Side.A);
        closeSideOnLoop(stream, Side.B);
    }

    /**
     * Closes a side's sockets (the fast-path ones belong to the event loop) and frees its port pair, which can be
     * bound again as soon as they are closed. Event loop only.
     */
    private void closeSideOnLoop(NettyRelayStream stream, Side side) {
        for (Leg leg : List.of(stream.leg(side, false), stream.leg(side, true))) {
            leg.closeFastPath();
            leg.channel.close();
        }
        ports.release(stream.rtpPort(side));
    }
}
