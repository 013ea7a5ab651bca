package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.SIPDateHeader;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.stack.HopImpl;
import io.sipserver.config.SipProperties;
import java.text.ParseException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.DateHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WarningHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Builds the messages and headers the proxy itself originates, in the server's own name, and sends responses
 * (counting them).
 */
public final class SipMessages {

    /** RFC 3261 magic cookie that marks an RFC 3261 branch. */
    public static final String BRANCH_COOKIE = "z9hG4bK";

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final LocalAddresses local;
    private final SipProvider provider;
    private final Supplier<SipTraffic> traffic;
    /** Our Record-Route for each transport we serve, by upper-case name: copying one is cheaper than parsing. */
    private final Map<String, RecordRouteHeader> recordRoutes;

    public SipMessages(SipStackRuntime runtime, LocalAddresses local) {
        this(runtime.messageFactory(), runtime.headerFactory(), runtime.addressFactory(), local, runtime.provider(),
                runtime::traffic);
    }

    /**
     * From the factories alone: they need no running stack, so request handling runs without sockets.
     *
     * @param provider where stateless responses go
     * @param traffic what counts the responses sent (read at each send: counting is attached after start)
     */
    public SipMessages(MessageFactory messages, HeaderFactory headers, AddressFactory addresses,
            LocalAddresses local, SipProvider provider, Supplier<SipTraffic> traffic) {
        this.provider = provider;
        this.traffic = traffic;
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.local = local;
        Map<String, RecordRouteHeader> routes = new HashMap<>();
        for (SipProperties.Transport t : SipProperties.Transport.values()) {
            routes.put(t.name(), newRecordRoute(t.name()));
        }
        this.recordRoutes = Map.copyOf(routes);
    }

    public HeaderFactory headers() {
        return headers;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    public LocalAddresses local() {
        return local;
    }

    /** A reason phrase that carries the cause, kept to one short line. */
    public static String reasonPhrase(String base, String detail) {
        if (detail == null || detail.isBlank()) {
            return base;
        }
        String clean = detail.replaceAll("[\\r\\n\\t]+", " ").trim();
        if (clean.length() > 100) {
            clean = clean.substring(0, 100);
        }
        return base + " (" + clean + ")";
    }
    /** A response to {@code request}; final responses other than 100 carry a To tag (RFC 3261 8.2.6.2). */
    public Response response(Request request, int status, String reason) {
        try {
            Response r = messages.createResponse(status, request);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (status > 100 && to != null && to.getTag() == null) {
                to.setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
            }
            return r;
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a " + status + " response", e);
        }
    }

    /** A response as {@link #response}, telling the client to come back in {@code retryAfterSeconds}. */
    public Response response(Request request, int status, String reason, int retryAfterSeconds) {
        Response r = response(request, status, reason);
        try {
            r.addHeader(headers.createRetryAfterHeader(retryAfterSeconds));
        } catch (InvalidArgumentException e) {
            throw new IllegalArgumentException("Retry-After " + retryAfterSeconds, e);
        }
        return r;
    }

    /** Sends {@code response} through its server transaction. */
    public void send(ServerTransaction transaction, Response response) throws SipException, InvalidArgumentException {
        transaction.sendResponse(response);
        traffic.get().responseSent(response);
    }

    /** Sends {@code response} without a transaction, to where its top Via points. */
    public void sendStateless(Response response) throws SipException {
        provider.sendResponse(response);
        traffic.get().responseSent(response);
    }

    /**
     * Sends a final response of our own to a request that has no server transaction, to where its top Via points,
     * with a To tag from the series of the valve's stateless refusals: the ACK that an INVITE's client transaction
     * sends for it then is dropped on arrival ({@link InboundValve}), as there is no transaction to absorb it.
     */
    public void sendStatelessRefusal(Response response) throws SipException, ParseException {
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(InboundValve.refusalTag());
        sendStateless(response);
    }

    /** {@code Date: <now>} (RFC 3261 20.17), to the second ({@link SipDates}). */
    public DateHeader date(Instant now) {
        SIPDateHeader header = new SIPDateHeader();
        header.setDate(SipDates.date(now));
        return header;
    }

    /** {@code Warning: 370 <advertised-address> "text"} (RFC 3261 20.43). */
    public WarningHeader warning(int code, String text) {
        try {
            return headers.createWarningHeader(local.advertisedHost(), code, text);
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our Via for a request we forward or originate over {@code transport}. */
    public ViaHeader via(String transport, String branch) {
        try {
            ViaHeader via = headers.createViaHeader(local.advertisedHost(), local.port(), transport, branch);
            via.setRPort();
            return via;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Record-Route: <sip:advertised:port;transport=x;lr>}. */
    public RecordRouteHeader recordRoute(String transport) {
        RecordRouteHeader built = recordRoutes.get(transport.toUpperCase(Locale.ROOT));
        return built != null ? (RecordRouteHeader) built.clone() : newRecordRoute(transport);
    }

    private RecordRouteHeader newRecordRoute(String transport) {
        try {
            SipURI uri = addresses.createSipURI(null, local.advertisedHost());
            uri.setPort(local.port());
            uri.setTransportParam(transport.toLowerCase());
            uri.setLrParam();
            Address a = addresses.createAddress(uri);
            return headers.createRecordRouteHeader(a);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh branch; {@code loopKey} (may be empty) lets a later hop recognise a request that loops. */
    public static String newBranch(String loopKey) {
        return BRANCH_COOKIE + loopKey + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    /** The branch of the message's top Via; null when it has no Via or the Via no branch. */
    public static String topViaBranch(Message message) {
        ViaHeader via = (ViaHeader) message.getHeader(ViaHeader.NAME);
        return via == null ? null : via.getBranch();
    }

    /** Decrements Max-Forwards (adds 70 when missing). */
    public void decrementMaxForwards(Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        try {
            if (mf == null) {
                request.setHeader(headers.createMaxForwardsHeader(70));
            } else {
                mf.decrementMaxForwards();
            }
        } catch (InvalidArgumentException | javax.sip.header.TooManyHopsException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where to send a request for a target reached at host:port over transport. */
    public static Hop hop(String host, int port, String transport) {
        return new HopImpl(host, port, transport.toLowerCase());
    }

    /** The message body when it is SDP, else null. */
    public static String sdpBody(Message message) {
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        ContentTypeHeader ct = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        if (ct == null || !"application".equalsIgnoreCase(ct.getContentType())
                || !"sdp".equalsIgnoreCase(ct.getContentSubType())) {
            return null;
        }
        return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Replaces the SDP body (Content-Length follows). */
    public void setSdpBody(Message message, String sdp) {
        try {
            ContentTypeHeader ct = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
            message.setContent(sdp.getBytes(java.nio.charset.StandardCharsets.UTF_8), ct);
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot set SDP body: " + e.getMessage(), e);
        }
    }

    /** The value of a header without its name, or null when absent. */
    public static String headerValue(Header h) {
        return h == null ? null : ((SIPHeader) h).getHeaderValue();
    }

    /**
     * A request the proxy originates inside a dialog (BYE when media times out), sent over {@code transport}.
     */
    public Request inDialogRequest(String method, String requestUri, String from, String fromTag, String to,
            String toTag, String callId, long cseq, String transport) {
        try {
            javax.sip.header.FromHeader fromHeader = headers.createFromHeader(
                    addresses.createAddress(addresses.createURI(from)), fromTag);
            javax.sip.header.ToHeader toHeader = headers.createToHeader(
                    addresses.createAddress(addresses.createURI(to)), toTag);
            ViaHeader via = via(transport, newBranch(""));
            return messages.createRequest(addresses.createURI(requestUri), method,
                    headers.createCallIdHeader(callId), headers.createCSeqHeader(cseq, method), fromHeader, toHeader,
                    new java.util.ArrayList<>(java.util.List.of(via)), headers.createMaxForwardsHeader(70));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build " + method + ": " + e.getMessage(), e);
        }
    }
}
