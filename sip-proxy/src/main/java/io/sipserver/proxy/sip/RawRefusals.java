package io.sipserver.proxy.sip;

import gov.nist.javax.sip.message.SIPResponse;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a UDP listening point's reader thread answers from a datagram's bytes, before it is queued and before
 * JAIN-SIP parses anything; under overload a refusal then costs a scan and one datagram instead of a full parse, a
 * response built by the stack and the parse of its ACK, and refused datagrams never wait in the receive queue.
 * <ul>
 * <li>While the {@link NewWorkGuard} refuses new work, an INVITE without To tag or a REGISTER gets the guard's
 * refusal, written by {@link RawResponseWriter} with a To tag from the same series as the valve's, sent from the
 * listening point's socket to the source address: to the source port when the top Via has {@code rport}, else to
 * its sent-by port (5060 when none), as the stack's server transactions answer.</li>
 * <li>A REGISTER without credentials gets its digest challenge ({@link RawRegisterChallenges}), unless a guard's
 * {@link RequestGuard#checkStateless} stops it (a flood limit drops it, a drain refuses it); the overload guard
 * lets it pass, as a challenge costs no more than a refusal and starts no work.</li>
 * <li>An ACK whose To tag is a stateless refusal's is dropped, as the valve drops it.</li>
 * <li>New work let through is marked as such, for the receive queue's second lane ({@link UdpReceiveQueue}).</li>
 * </ul>
 * A retransmission of a request the stack is already handling is never refused: not when the stack's server
 * transaction table holds its branch (the key JAIN-SIP gives an RFC 3261 branch), nor when a request with the same
 * branch was queued lately and may still wait for a worker (a small table of hashes of recently queued branches).
 * Anything else, including whatever {@link RawSipRequest} does not recognise, a branch without the RFC 3261 cookie
 * and IPv6 sources, goes on to the queue and the stack, and the valve decides there with the same guard.
 * <p>
 * One instance per listening point; all but the guards, the challenges and the counters is confined to its reader
 * thread.
 */
final class RawRefusals {

    private static final Logger log = LoggerFactory.getLogger(RawRefusals.class);

    /** Queued branches remembered; at the highest sustainable call rate (~1,600 new calls/s) about 5 s of them. */
    static final int RECENT_BRANCHES = 8192;
    /** Room for what a refusal adds to the request's header fields it copies. */
    private static final int HEADROOM = 512;
    private static final int MAX_FAILURES_LOGGED = 10;
    private static final byte[] REFUSAL_TAG = InboundValve.REFUSAL_TAG.getBytes(StandardCharsets.US_ASCII);

    private final Predicate<String> serverTransactionExists;
    private final RawSipRequest request = new RawSipRequest();
    private final RawResponseWriter writer;
    private final DatagramPacket answer;
    private final long[] recentBranches = new long[RECENT_BRANCHES];

    private volatile Gate gate;
    private volatile Challenges challenges;
    private volatile Registrations registrations;
    private volatile SipTraffic traffic = SipTraffic.NONE;

    /** The answer claimed for the last REGISTER queued unparsed, and where. */
    private String claimed;
    private RegisterAnswers claimedIn;
    private InetAddress lastSource;
    private byte[] lastSourceText;
    private GuardVerdict lastVerdict;
    private byte[] lastStatusLine;
    private int failuresLogged;

    /** Where REGISTERs with credentials go, and the guards that may stop them before the overload guard. */
    private record Registrations(RawRegistrations registrations, InboundValve guards) {
    }

    /** How REGISTERs without credentials are challenged here, and the guards that may stop that. */
    private record Challenges(RawRegisterChallenges challenges, InboundValve guards) {
    }

    /** The guard with its name, resolved once. */
    private record Gate(NewWorkGuard guard, String name) {
    }

    /**
     * @param maxMessageSize the longest datagram the listening point hands on
     * @param serverTransactionExists whether the stack's server transaction table holds a key
     */
    RawRefusals(int maxMessageSize, Predicate<String> serverTransactionExists) {
        this.serverTransactionExists = serverTransactionExists;
        this.writer = new RawResponseWriter(maxMessageSize + HEADROOM);
        this.answer = new DatagramPacket(writer.buffer(), 0);
    }

    /** The guard whose verdict new work gets here; none (the default) refuses nothing here. */
    void refuseWith(NewWorkGuard guard) {
        this.gate = guard == null ? null : new Gate(guard, guard.name());
    }

    /**
     * From now on, a REGISTER without credentials that {@code challenges} applies to is challenged here, unless one
     * of {@code guards}' {@link InboundValve#checkStateless} stops it.
     */
    void challengeWith(RawRegisterChallenges challenges, InboundValve guards) {
        this.challenges = new Challenges(challenges, guards);
    }

    /**
     * From now on, a REGISTER with credentials that {@code registrations} applies to is queued for it unparsed,
     * unless {@code guards}' {@link InboundValve#checkStateless} or the overload guard stops it; its retransmissions
     * are answered here.
     */
    void registerWith(RawRegistrations registrations, InboundValve guards) {
        this.registrations = new Registrations(registrations, guards);
    }

    void countWith(SipTraffic counters) {
        this.traffic = counters;
    }

    /** What the reader does with a datagram after {@link #handled}. */
    enum Disposition {
        /** Answered or dropped here. */
        DONE,
        /** For the stack: work in progress, or not recognised here. */
        QUEUE,
        /** For the stack: a request that starts new work, which waits until nothing else does. */
        QUEUE_AS_NEW_WORK,
        /** New work, for {@link RawRegistrations} first (see {@link UdpReceiveQueue#offerUnparsed}). */
        QUEUE_UNPARSED
    }

    /**
     * Answers or drops the datagram {@code data[0, length)} from {@code source:sourcePort} when it can be, sending
     * on {@code socket}, and otherwise says how to queue it.
     */
    Disposition handled(byte[] data, int length, InetAddress source, int sourcePort, DatagramSocket socket) {
        if (!request.scan(data, length)) {
            return Disposition.QUEUE;
        }
        String method = request.method();
        if (Request.ACK.equals(method)) {
            if (!request.toTagStartsWith(REFUSAL_TAG)) {
                return Disposition.QUEUE;
            }
            traffic.rawRequestReceived(Request.ACK);
            return Disposition.DONE;
        }
        Challenges challenging = challenges;
        if (challenging != null && source instanceof Inet4Address && challenging.challenges().applies(request)) {
            return challenge(challenging, source, sourcePort, socket);
        }
        Registrations registering = registrations;
        if (registering != null && source instanceof Inet4Address && registering.registrations().applies(request)) {
            return register(registering, source, sourcePort, socket);
        }
        Gate current = gate;
        if (current == null || Request.INVITE.equals(method) && request.hasToTag() || !request.hasRfc3261Branch()) {
            return Disposition.QUEUE;
        }
        long branch = request.branchHash();
        GuardVerdict verdict = current.guard().newWorkVerdict();
        if (verdict.passes()) {
            remember(branch);
            return Disposition.QUEUE_AS_NEW_WORK;
        }
        if (queuedLately(branch) || !(source instanceof Inet4Address)
                || serverTransactionExists.test(request.transactionKey())) {
            return Disposition.QUEUE;
        }
        traffic.guardStopped(current.name(), verdict);
        return refuse(verdict, source, sourcePort, socket);
    }

    /** The REGISTER's challenge, unless a guard stops it; nothing of it is kept. */
    private Disposition challenge(Challenges challenging, InetAddress source, int sourcePort, DatagramSocket socket) {
        GuardVerdict verdict = challenging.guards().checkStateless(source);
        if (!verdict.passes()) {
            if (verdict.status() == 0) {
                traffic.rawRequestReceived(Request.REGISTER);
                return Disposition.DONE;
            }
            return refuse(verdict, source, sourcePort, socket);
        }
        if (!challenging.challenges().write(writer, request, sourceText(source), sourcePort)) {
            return Disposition.QUEUE;
        }
        send(source, sourcePort, socket, Response.UNAUTHORIZED);
        return Disposition.DONE;
    }

    /**
     * A REGISTER for {@link RawRegistrations}: a retransmission gets the answer sent (or nothing while it is
     * pending); a new one passes the guards as new work and is queued unparsed, with its answer claimed.
     */
    private Disposition register(Registrations registering, InetAddress source, int sourcePort,
            DatagramSocket socket) {
        RegisterAnswers answers = registering.registrations().answers();
        String key = request.transactionKey();
        RegisterAnswers.Answer previous = answers.find(key);
        if (previous != null) {
            if (!previous.from(source, sourcePort)) {
                return Disposition.QUEUE;
            }
            traffic.rawRequestReceived(Request.REGISTER);
            byte[] sent = previous.datagram();
            if (sent != null) {
                resend(sent, source, request.responsePort(sourcePort), socket);
            }
            return Disposition.DONE;
        }
        GuardVerdict verdict = registering.guards().checkStateless(source);
        if (verdict.passes()) {
            Gate current = gate;
            verdict = current == null ? GuardVerdict.PASS : current.guard().newWorkVerdict();
            if (!verdict.passes()) {
                // A retransmission of one that went on to the stack is the stack's to absorb, never refused.
                if (serverTransactionExists.test(key)) {
                    return Disposition.QUEUE;
                }
                traffic.guardStopped(current.name(), verdict);
            }
        }
        if (verdict.passes()) {
            answers.claim(key, source, sourcePort);
            claimed = key;
            claimedIn = answers;
            return Disposition.QUEUE_UNPARSED;
        }
        if (verdict.status() == 0) {
            traffic.rawRequestReceived(Request.REGISTER);
            return Disposition.DONE;
        }
        return refuse(verdict, source, sourcePort, socket);
    }

    /**
     * The last datagram {@link #handled} as {@link Disposition#QUEUE_UNPARSED} was not queued (the receive queue was
     * full): its claim on an answer is released, so that the client's retransmission is served.
     */
    void notQueued() {
        if (claimedIn != null) {
            claimedIn.release(claimed);
        }
    }

    private void resend(byte[] datagram, InetAddress destination, int port, DatagramSocket socket) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, destination, port));
        } catch (IOException | RuntimeException e) {
            logFailure(Request.REGISTER, e);
        }
    }

    /** The guard's refusal of the request; the stop is already counted. */
    private Disposition refuse(GuardVerdict verdict, InetAddress source, int sourcePort, DatagramSocket socket) {
        if (!writer.write(request, statusLine(verdict), sourceText(source), sourcePort, REFUSAL_TAG,
                InboundValve.nextRefusal(), verdict.retryAfterSeconds())) {
            return Disposition.QUEUE;
        }
        send(source, sourcePort, socket, verdict.status());
        return Disposition.DONE;
    }

    /** Sends what the writer holds to where the stack's server transactions would answer the request. */
    private void send(InetAddress source, int sourcePort, DatagramSocket socket, int status) {
        String method = request.method();
        SipTraffic counters = traffic;
        counters.rawRequestReceived(method);
        answer.setAddress(source);
        answer.setPort(request.responsePort(sourcePort));
        answer.setLength(writer.length());
        try {
            socket.send(answer);
            counters.rawResponseSent(method, status);
        } catch (IOException | RuntimeException e) {
            logFailure(method, e);
        }
    }

    private void remember(long branch) {
        recentBranches[slot(branch)] = branch;
    }

    private boolean queuedLately(long branch) {
        return recentBranches[slot(branch)] == branch;
    }

    private static int slot(long hash) {
        return (int) (hash ^ hash >>> 32) & (RECENT_BRANCHES - 1);
    }

    private byte[] sourceText(InetAddress source) {
        if (!source.equals(lastSource)) {
            lastSourceText = source.getHostAddress().getBytes(StandardCharsets.US_ASCII);
            lastSource = source;
        }
        return lastSourceText;
    }

    private byte[] statusLine(GuardVerdict verdict) {
        if (verdict != lastVerdict) {
            String reason = verdict.reason() == null ? SIPResponse.getReasonPhrase(verdict.status()) : verdict.reason();
            lastStatusLine = ("SIP/2.0 " + verdict.status() + " " + reason).getBytes(StandardCharsets.UTF_8);
            lastVerdict = verdict;
        }
        return lastStatusLine;
    }

    /** The first few only: a socket that fails for every refusal must not flood the log. */
    private void logFailure(String method, Exception e) {
        if (failuresLogged < MAX_FAILURES_LOGGED) {
            failuresLogged++;
            log.warn("refusal of a {} not sent{}: {}", method,
                    failuresLogged == MAX_FAILURES_LOGGED ? " (further failures are not logged)" : "", e.toString());
        }
    }
}
