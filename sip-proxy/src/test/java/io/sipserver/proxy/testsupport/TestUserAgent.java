package io.sipserver.proxy.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A small JAIN-SIP user agent for protocol tests: it sends requests to the server under test over real UDP or
 * TCP on loopback, answers digest challenges, keeps enough dialog state to send ACK, BYE and re-INVITE through
 * the Record-Route set, and queues what it receives so tests can assert on it.
 */
public final class TestUserAgent implements SipListener, AutoCloseable {

    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String user;
    private final String password;
    private final String domain;
    private final String proxyHost;
    private final int proxyPort;
    private final String transport;
    private final String localHost;
    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final int localPort;
    private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    private final BlockingQueue<RequestEvent> requests = new LinkedBlockingQueue<>();
    private final AtomicLong cseq = new AtomicLong(1);
    private final String registerCallId = newCallId();
    private volatile ClientTransaction lastInvite;

    /**
     * @param user this agent's user name (and digest user)
     * @param proxy the server under test, host:port
     * @param transport "udp" or "tcp"
     */
    public TestUserAgent(String user, String password, String domain, String proxy, String transport)
            throws Exception {
        this(user, password, domain, proxy, transport, "127.0.0.1");
    }

    /**
     * An agent bound to {@code localHost}, another loopback address such as 127.0.0.2, so that the server sees it
     * come from a source address of its own.
     */
    public TestUserAgent(String user, String password, String domain, String proxy, String transport,
            String localHost) throws Exception {
        this.user = user;
        this.localHost = localHost;
        this.password = password;
        this.domain = domain;
        this.proxyHost = proxy.substring(0, proxy.lastIndexOf(':'));
        this.proxyPort = Integer.parseInt(proxy.substring(proxy.lastIndexOf(':') + 1));
        this.transport = transport;
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "test-ua-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // The RI keeps this value in a static field: a test agent must not set back the server's (see SipStackRuntime).
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "0");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "io.sipserver.proxy.sip.Slf4jStackLogger");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "io.sipserver.proxy.sip.Slf4jServerLogger");
        this.stack = factory.createSipStack(p);
        ListeningPoint lp = bind(stack, localHost, transport);
        this.localPort = lp.getPort();
        this.provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        stack.start();
        this.addresses = factory.createAddressFactory();
        this.headers = factory.createHeaderFactory();
        this.messages = factory.createMessageFactory();
    }

    private static ListeningPoint bind(SipStack stack, String host, String transport) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = FreePorts.udpAndTcp();
            try {
                return stack.createListeningPoint(host, port, transport);
            } catch (Exception e) {
                // taken meanwhile: try another
            }
        }
        throw new IllegalStateException("no free port for a test user agent");
    }

    public String user() {
        return user;
    }

    public int port() {
        return localPort;
    }

    public String transport() {
        return transport;
    }

    /** This agent's Contact URI. */
    public String contact() {
        return "sip:" + user + "@" + localHost + ":" + localPort + (transport.equals("udp") ? "" : ";transport=" + transport);
    }

    // ---------------------------------------------------------------- requests out

    /** A new out-of-dialog request from this user to {@code toUri}, routed to the proxy. */
    public Request request(String method, String requestUri, String toUri, String callId) throws Exception {
        URI ruri = addresses.createURI(requestUri);
        FromHeader from = headers.createFromHeader(addresses.createAddress("sip:" + user + "@" + domain),
                Long.toHexString(ThreadLocalRandom.current().nextLong()));
        ToHeader to = headers.createToHeader(addresses.createAddress(toUri), null);
        List<ViaHeader> via = new ArrayList<>(List.of(headers.createViaHeader(localHost, localPort, transport, null)));
        Request r = messages.createRequest(ruri, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq.getAndIncrement(), method), from, to, via,
                headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createContactHeader(addresses.createAddress(contact())));
        return r;
    }

    /** Sends a request statefully to the proxy and returns its client transaction. */
    public ClientTransaction send(Request request) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(routeToProxy(request));
        ct.sendRequest();
        if (Request.INVITE.equals(request.getMethod())) {
            lastInvite = ct;
        }
        return ct;
    }

    /** The client transaction of the last INVITE sent (to CANCEL it). */
    public ClientTransaction lastClientTransaction() {
        return lastInvite;
    }

    /** Sends a request with no transaction (ACK for a 2xx). */
    public void sendStateless(Request request) throws Exception {
        Request r = routeToProxy(request);
        if (((ViaHeader) r.getHeader(ViaHeader.NAME)).getBranch() == null) {
            ((ViaHeader) r.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        }
        provider.sendRequest(r);
    }

    /** The stack sends to the top Route or the Request-URI: make sure the proxy is the first hop. */
    private Request routeToProxy(Request request) throws ParseException {
        if (request.getHeader(RouteHeader.NAME) == null) {
            SipURI proxy = addresses.createSipURI(null, proxyHost);
            proxy.setPort(proxyPort);
            proxy.setLrParam();
            proxy.setTransportParam(transport);
            request.addHeader(headers.createRouteHeader(addresses.createAddress(proxy)));
        }
        return request;
    }

    /** Next response of any transaction, or fails after the default wait. */
    public Response nextResponse() throws InterruptedException {
        return nextResponse(WAIT);
    }

    public Response nextResponse(Duration wait) throws InterruptedException {
        Response r = responses.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError(user + ": no response within " + wait);
        }
        return r;
    }

    /** Next final response (provisional ones are skipped). */
    public Response finalResponse() throws InterruptedException {
        return finalResponse(WAIT);
    }

    public Response finalResponse(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Response r = nextResponse(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (r.getStatusCode() >= 200) {
                return r;
            }
        }
    }

    /** Waits for a response with this status, skipping others; fails if it does not come. */
    public Response awaitStatus(int status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Integer> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Response r = responses.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (r == null) {
                break;
            }
            if (r.getStatusCode() == status) {
                return r;
            }
            seen.add(r.getStatusCode());
        }
        throw new AssertionError(user + ": no " + status + " (saw " + seen + ")");
    }

    /** True when no response arrives within {@code wait}. */
    public boolean noResponseWithin(Duration wait) throws InterruptedException {
        Response r = responses.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (r != null) {
            responses.add(r);
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- registration

    /** REGISTER with the given Contact values and Expires header (null = none), answering a challenge. */
    public Response register(Integer expires, String... contactValues) throws Exception {
        Request r = registerRequest(expires, contactValues);
        send(r);
        Response first = finalResponse();
        if (first.getStatusCode() != 401) {
            return first;
        }
        Request again = withCredentials(r, first, password);
        send(again);
        return finalResponse();
    }

    /** A REGISTER for this user's AOR (no credentials), with a fresh CSeq on the agent's registration Call-ID. */
    public Request registerRequest(Integer expires, String... contactValues) throws Exception {
        Request r = messages.createRequest(addresses.createURI("sip:" + domain), Request.REGISTER,
                headers.createCallIdHeader(registerCallId), headers.createCSeqHeader(cseq.getAndIncrement(), Request.REGISTER),
                headers.createFromHeader(addresses.createAddress("sip:" + user + "@" + domain),
                        Long.toHexString(ThreadLocalRandom.current().nextLong())),
                headers.createToHeader(addresses.createAddress("sip:" + user + "@" + domain), null),
                new ArrayList<>(List.of(headers.createViaHeader(localHost, localPort, transport, null))),
                headers.createMaxForwardsHeader(70));
        for (String c : contactValues) {
            r.addHeader(headers.createHeader(ContactHeader.NAME, c));
        }
        if (expires != null) {
            r.addHeader(headers.createExpiresHeader(expires));
        }
        r.addHeader(headers.createHeader("User-Agent", "sip-server-test-ua"));
        return r;
    }

    /**
     * A copy of {@code request} with a new CSeq and digest credentials answering the first challenge in
     * {@code challenge} (401 or 407).
     */
    public Request withCredentials(Request request, Response challenge, String pass) throws Exception {
        return withCredentials(request, challenge, pass, 0);
    }

    /** Same, answering the challenge at {@code index} (one per algorithm). */
    public Request withCredentials(Request request, Response challenge, String pass, int index) throws Exception {
        boolean proxy = challenge.getStatusCode() == 407;
        String challengeName = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
        List<String> values = new ArrayList<>();
        ListIterator<Header> it = challenge.getHeaders(challengeName);
        while (it.hasNext()) {
            String h = it.next().toString();
            values.add(h.substring(h.indexOf(':') + 1).trim());
        }
        String c = values.get(index);
        String realm = param(c, "realm");
        String nonce = param(c, "nonce");
        String algorithm = param(c, "algorithm");
        if (algorithm == null) {
            algorithm = "MD5";
        }
        String uri = request.getRequestURI().toString();
        String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String nc = "00000001";
        String response = digestResponse(algorithm, user, realm, pass, request.getMethod(), uri, nonce, nc, cnonce);
        String value = "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\""
                + uri + "\", response=\"" + response + "\", algorithm=" + algorithm + ", qop=auth, nc=" + nc
                + ", cnonce=\"" + cnonce + "\"";
        Request again = (Request) request.clone();
        again.removeHeader(ViaHeader.NAME);
        again.addHeader(headers.createViaHeader(localHost, localPort, transport, null));
        again.removeHeader(RouteHeader.NAME);
        ((CSeqHeader) again.getHeader(CSeqHeader.NAME)).setSeqNumber(cseq.getAndIncrement());
        again.setHeader(headers.createHeader(proxy ? "Proxy-Authorization" : AuthorizationHeader.NAME, value));
        return again;
    }

    /** RFC 7616 digest response with qop=auth. */
    public static String digestResponse(String algorithm, String user, String realm, String pass, String method,
            String uri, String nonce, String nc, String cnonce) throws Exception {
        String javaAlg = algorithm.equalsIgnoreCase("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = hash(javaAlg, user + ":" + realm + ":" + pass);
        String ha2 = hash(javaAlg, method + ":" + uri);
        return hash(javaAlg, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    }

    private static String hash(String alg, String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String param(String header, String name) {
        Matcher m = Pattern.compile("(?i)\\b" + name + "=(\"([^\"]*)\"|([^,\\s]+))").matcher(header);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    // ---------------------------------------------------------------- calls

    /** An INVITE to {@code calleeUser} with an SDP offer (null = no body). */
    public Request invite(String calleeUser, String sdp) throws Exception {
        Request r = request(Request.INVITE, "sip:" + calleeUser + "@" + domain, "sip:" + calleeUser + "@" + domain,
                newCallId());
        if (sdp != null) {
            r.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        }
        return r;
    }

    /** Sends an INVITE, answering a 407 with credentials; returns the client transaction of the last INVITE. */
    public Request inviteWithAuth(String calleeUser, String sdp) throws Exception {
        Request invite = invite(calleeUser, sdp);
        send(invite);
        Response r = nextResponseSkipping100();
        if (r.getStatusCode() != 407) {
            responses.add(r);
            return invite;
        }
        Request again = withCredentials(invite, r, password);
        send(again);
        return again;
    }

    private Response nextResponseSkipping100() throws InterruptedException {
        while (true) {
            Response r = nextResponse();
            if (r.getStatusCode() != 100) {
                return r;
            }
        }
    }

    /** A request inside the dialog that {@code ok} (a 2xx to our INVITE) established, through its route set. */
    public Request inDialog(String method, Response ok, Request invite, long seq) throws Exception {
        ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
        Request r = messages.createRequest(contact.getAddress().getURI(), method,
                (CallIdHeader) ok.getHeader(CallIdHeader.NAME),
                headers.createCSeqHeader(seq, method),
                (FromHeader) invite.getHeader(FromHeader.NAME),
                (ToHeader) ok.getHeader(ToHeader.NAME),
                new ArrayList<>(List.of(headers.createViaHeader(localHost, localPort, transport, null))),
                headers.createMaxForwardsHeader(70));
        // Route set = Record-Route of the response, in order (we are the caller).
        ListIterator<Header> rr = ok.getHeaders(RecordRouteHeader.NAME);
        while (rr.hasNext()) {
            Address a = ((RecordRouteHeader) rr.next()).getAddress();
            r.addHeader(headers.createRouteHeader(a));
        }
        r.addHeader(headers.createContactHeader(addresses.createAddress(contact())));
        return r;
    }

    /** ACK for a 2xx, through the route set. */
    public void ack(Response ok, Request invite) throws Exception {
        long seq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
        sendStateless(inDialog(Request.ACK, ok, invite, seq));
    }

    // ---------------------------------------------------------------- requests in

    /** Next request received (as a UAS), or fails after the default wait. */
    public RequestEvent nextRequest() throws InterruptedException {
        return nextRequest(WAIT);
    }

    public RequestEvent nextRequest(Duration wait) throws InterruptedException {
        RequestEvent e = requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError(user + ": no request within " + wait);
        }
        return e;
    }

    /** Next received request with this method (others are answered 200 or dropped if ACK). */
    public RequestEvent awaitRequest(String method) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            RequestEvent e = requests.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (e == null) {
                break;
            }
            if (e.getRequest().getMethod().equals(method)) {
                return e;
            }
        }
        throw new AssertionError(user + ": no " + method + " received");
    }

    /** True when no request arrives within {@code wait}. */
    public boolean noRequestWithin(Duration wait) throws InterruptedException {
        RequestEvent e = requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (e != null) {
            requests.add(e);
            return false;
        }
        return true;
    }

    /** Answers a received request; returns the response sent. Keeps one To tag per server transaction. */
    public Response reply(RequestEvent event, int status, String sdp) throws Exception {
        ServerTransaction st = serverTransaction(event);
        Response r = messages.createResponse(status, event.getRequest());
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        if (status > 100 && to.getTag() == null) {
            to.setTag(tagFor(st));
        }
        if (status < 300 && status > 100) {
            r.addHeader(headers.createContactHeader(addresses.createAddress(contact())));
            ListIterator<Header> rr = event.getRequest().getHeaders(RecordRouteHeader.NAME);
            while (rr.hasNext()) {
                r.addHeader((Header) rr.next().clone());
            }
        }
        if (sdp != null) {
            r.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        }
        st.sendResponse(r);
        return r;
    }

    private static String tagFor(ServerTransaction st) {
        Object tag = st.getApplicationData();
        if (tag == null) {
            tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
            st.setApplicationData(tag);
        }
        return (String) tag;
    }

    private ServerTransaction serverTransaction(RequestEvent event) throws Exception {
        ServerTransaction st = event.getServerTransaction();
        Object remembered = ((gov.nist.javax.sip.message.SIPRequest) event.getRequest()).getApplicationData();
        if (st == null && remembered instanceof ServerTransaction known) {
            st = known;
        }
        if (st == null) {
            st = provider.getNewServerTransaction(event.getRequest());
            // Remember it on the event's request so later replies reuse it.
            ((gov.nist.javax.sip.message.SIPRequest) event.getRequest()).setApplicationData(st);
        }
        return st;
    }

    /**
     * A request the callee sends inside a dialog it accepted: {@code invite} is the INVITE it received,
     * {@code ok} its own 2xx. Route set = Record-Route of the INVITE, reversed.
     */
    public Request calleeInDialog(String method, Request invite, Response ok, long seq) throws Exception {
        ContactHeader callerContact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        FromHeader from = headers.createFromHeader(((ToHeader) ok.getHeader(ToHeader.NAME)).getAddress(),
                ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag());
        ToHeader to = headers.createToHeader(((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress(),
                ((FromHeader) invite.getHeader(FromHeader.NAME)).getTag());
        Request r = messages.createRequest(callerContact.getAddress().getURI(), method,
                (CallIdHeader) invite.getHeader(CallIdHeader.NAME), headers.createCSeqHeader(seq, method), from, to,
                new ArrayList<>(List.of(headers.createViaHeader(localHost, localPort, transport, null))),
                headers.createMaxForwardsHeader(70));
        List<Address> rr = new ArrayList<>();
        ListIterator<Header> it = invite.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            rr.add(((RecordRouteHeader) it.next()).getAddress());
        }
        for (int i = rr.size() - 1; i >= 0; i--) {
            r.addHeader(headers.createRouteHeader(rr.get(i)));
        }
        r.addHeader(headers.createContactHeader(addresses.createAddress(contact())));
        return r;
    }

    public ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    public HeaderFactory headers() {
        return headers;
    }

    public static String newCallId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@test";
    }

    // ---------------------------------------------------------------- SipListener

    @Override
    public void processRequest(RequestEvent event) {
        requests.add(event);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        responses.add(event.getResponse());
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        // Tests notice missing responses through their own waits.
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    @Override
    public void close() {
        stack.stop();
    }

    /** Max-Forwards of a request (for tests that set it). */
    public void maxForwards(Request r, int value) throws Exception {
        ((MaxForwardsHeader) r.getHeader(MaxForwardsHeader.NAME)).setMaxForwards(value);
    }
}
