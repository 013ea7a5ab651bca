package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.RetryAfter;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sip.InvalidArgumentException;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's SIP_MESSAGE_VALVE: the one place a message passes after parsing and before JAIN-SIP allocates a
 * transaction for it.
 * <ul>
 * <li>Requests go through the {@link RequestGuard}s in order (flood limit, overload, drain); the first that does
 * not pass decides, and a refusal is answered statelessly on the channel the request came in on. ACKs are never
 * answered; the ACK that acknowledges a refusal (its To tag is the refusal's) is dropped here, as no transaction
 * or dialog exists for it. The request pipeline's stateless answers (digest challenges) take their To tags from
 * the same series ({@link SipMessages#sendStatelessRefusal}), so the ACK for a 407 is dropped here too. Over UDP
 * the listening point's reader refuses most new work and drops most such ACKs before this, from the datagrams'
 * bytes ({@link RawRefusals}); what it lets through is decided here.</li>
 * <li>Responses that match no client transaction (2xx retransmissions after the INVITE transaction ended) are taken
 * out before the stack looks for their transaction: for such a response JAIN-SIP 1.3.0-91 walks its whole client
 * transaction table, so at a few thousand live transactions every stray 2xx costs milliseconds. A hash lookup
 * decides here; strays go straight to the proxy's stateless relay.</li>
 * <li>UDP datagrams longer than {@code sip.max-message-size} never reach the stack's parser: the receive queue
 * hands them here, and a request among them gets 513 Message Too Large (RFC 3261 section 18.1.1).</li>
 * </ul>
 * Every request and response is reported to the {@link SipTraffic} counters first, and every guard's stop.
 * The stack creates the valve by class name, so the proxy's parts are attached after start.
 */
public class InboundValve implements SIPMessageValve {

    private static final Logger log = LoggerFactory.getLogger(InboundValve.class);

    /** To-tag prefix of stateless refusals, so the ACKs for them are recognised without state. */
    static final String REFUSAL_TAG = "rf-";
    private static final AtomicLong REFUSALS = new AtomicLong();
    private static final GuardVerdict TOO_LARGE = GuardVerdict.refuse(513, 0, null);
    /** The name oversized datagrams are counted under among the guards' refusals. */
    static final String SIZE_LIMIT = "MessageSizeLimit";
    private static final byte[] END_OF_HEADERS = {'\r', '\n', '\r', '\n'};

    private volatile SIPTransactionStack stack;
    private volatile Consumer<Response> strays = response -> { };
    private volatile Guards guards = new Guards(new RequestGuard[0], new String[0]);
    private volatile SipTraffic traffic = SipTraffic.NONE;

    /** The checks with their names, resolved once so that counting a stop costs no call into the guard. */
    private record Guards(RequestGuard[] checks, String[] names) {
    }

    /** Where responses without a transaction go (the proxy relays 2xx to INVITE statelessly, drops the rest). */
    public void onStray(Consumer<Response> handler) {
        this.strays = handler;
    }

    /** The request checks, in the order they run. */
    public void guardRequests(List<RequestGuard> checks) {
        this.guards = new Guards(checks.toArray(RequestGuard[]::new),
                checks.stream().map(RequestGuard::name).toArray(String[]::new));
    }

    /** Where received messages, guard stops and refusals are counted. */
    void countWith(SipTraffic counters) {
        this.traffic = counters;
    }

    @Override
    public void init(SipStack sipStack) {
        this.stack = (SIPTransactionStack) sipStack;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        SipTraffic counters = traffic;
        counters.requestReceived(request);
        if (Request.ACK.equals(request.getMethod())) {
            String toTag = request.getToTag();
            if (toTag != null && toTag.startsWith(REFUSAL_TAG)) {
                return false;
            }
        }
        Guards current = guards;
        RequestGuard[] checks = current.checks();
        if (checks.length == 0) {
            return true;
        }
        InetAddress source = channel.getPeerPacketSourceAddress();
        for (int i = 0; i < checks.length; i++) {
            GuardVerdict verdict = checks[i].check(request, source);
            if (!verdict.passes()) {
                counters.guardStopped(current.names()[i], verdict);
                if (verdict.status() != 0 && !Request.ACK.equals(request.getMethod())) {
                    refuse(request, channel, verdict, counters);
                }
                return false;
            }
        }
        return true;
    }

    /**
     * The guards' verdict on a request a UDP reader answers from its bytes without keeping state
     * ({@link RequestGuard#checkStateless}); the first that does not pass decides, and its stop is counted as
     * {@link #processRequest} counts it.
     */
    GuardVerdict checkStateless(InetAddress source) {
        Guards current = guards;
        RequestGuard[] checks = current.checks();
        for (int i = 0; i < checks.length; i++) {
            GuardVerdict verdict = checks[i].checkStateless(source);
            if (!verdict.passes()) {
                traffic.guardStopped(current.names()[i], verdict);
                return verdict;
            }
        }
        return GuardVerdict.PASS;
    }

    /**
     * A UDP datagram over the size limit (its tail may be cut off): when its head parses into a request other than
     * ACK with the headers a response is built from (Via, From, To, Call-ID, CSeq), that request gets 513
     * statelessly, sent to the datagram's source address and port; anything else is dropped. Only the head is
     * parsed, never the body.
     */
    void refuseOversized(DatagramPacket datagram, MessageProcessor processor) {
        SIPRequest request = headOf(datagram.getData(), datagram.getLength());
        if (request == null || Request.ACK.equals(request.getMethod()) || request.getFrom() == null
                || request.getTo() == null || request.getCallId() == null || request.getCSeq() == null
                || request.getTopmostVia() == null) {
            log.debug("oversized datagram of {} bytes from {} dropped", datagram.getLength(), datagram.getAddress());
            return;
        }
        SipTraffic counters = traffic;
        counters.guardStopped(SIZE_LIMIT, TOO_LARGE);
        try {
            refuse(request, processor.createMessageChannel(datagram.getAddress(), datagram.getPort()), TOO_LARGE,
                    counters);
        } catch (IOException | RuntimeException e) {
            // This runs in the worker's take(): nothing may escape, or the worker thread ends.
            log.debug("no channel to answer an oversized {}: {}", request.getMethod(), e.toString());
        }
    }

    /**
     * The request line and header fields of a datagram, or null when they do not parse into a request. A head cut
     * off by the receive buffer ends at its last complete line.
     */
    private static SIPRequest headOf(byte[] data, int length) {
        int end = indexOf(data, length, END_OF_HEADERS);
        byte[] head;
        if (end >= 0) {
            head = Arrays.copyOf(data, end + END_OF_HEADERS.length);
        } else {
            int lastLine = lastIndexOfLineEnd(data, length);
            if (lastLine < 0) {
                return null;
            }
            head = Arrays.copyOf(data, lastLine + END_OF_HEADERS.length);
            head[lastLine + 2] = '\r';
            head[lastLine + 3] = '\n';
        }
        try {
            SIPMessage message = SipMessageParser.INSTANCE.parseSIPMessage(head, false, false, null);
            return message instanceof SIPRequest request ? request : null;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static int indexOf(byte[] data, int length, byte[] pattern) {
        for (int i = 0; i + pattern.length <= length; i++) {
            if (Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfLineEnd(byte[] data, int length) {
        for (int i = length - 2; i >= 0; i--) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void refuse(SIPRequest request, MessageChannel channel, GuardVerdict verdict,
            SipTraffic counters) {
        try {
            SIPResponse response = request.createResponse(verdict.status(), verdict.reason());
            if (response.getToTag() == null) {
                response.getTo().setTag(refusalTag());
            }
            if (verdict.retryAfterSeconds() > 0) {
                RetryAfter retryAfter = new RetryAfter();
                retryAfter.setRetryAfter(verdict.retryAfterSeconds());
                response.setHeader(retryAfter);
            }
            channel.sendMessage(response);
            counters.responseSent(response);
        } catch (IOException | InvalidArgumentException | ParseException | RuntimeException e) {
            log.debug("refusal {} to {} not sent: {}", verdict.status(), request.getMethod(), e.toString());
        }
    }

    /** The number of the next stateless refusal, which its To tag carries in base 36 after {@link #REFUSAL_TAG}. */
    static long nextRefusal() {
        return REFUSALS.incrementAndGet();
    }

    /** The To tag of the next stateless refusal. */
    static String refusalTag() {
        return REFUSAL_TAG + Long.toString(nextRefusal(), 36);
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        traffic.responseReceived((SIPResponse) response);
        SIPTransactionStack s = stack;
        if (s == null || s.findTransaction((SIPResponse) response, false) != null) {
            return true;
        }
        strays.accept(response);
        return false;
    }

    @Override
    public void destroy() {
        // Nothing held.
    }
}
