package io.sipserver.proxy.pipeline;

import io.sipserver.proxy.sip.LocalAddresses;
import io.sipserver.proxy.sip.RegisterReply;
import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.registrar.AddressOfRecord;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.ContactSpec;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.RegisterOutcome;
import io.sipserver.registrar.RegisterRequest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTER: authenticate (401), check that the user registers its own address-of-record (403), hand the bindings
 * to the registrar and answer from its outcome once the change is durable.
 */
public final class RegisterStage implements RequestStage {

    private static final Logger log = LoggerFactory.getLogger(RegisterStage.class);
    private final LocationService locations;
    private final DigestChallenger digest;
    private final LocalAddresses local;
    private final Clock clock;
    private final Executor replies;

    /**
     * @param replies where responses are sent once the registrar's change is durable (not on the database
     *     writer's thread, which would slow every group commit)
     */
    public RegisterStage(LocationService locations, DigestChallenger digest, LocalAddresses local, Clock clock,
            Executor replies) {
        this.locations = locations;
        this.digest = digest;
        this.local = local;
        this.clock = clock;
        this.replies = replies;
    }

    @Override
    public boolean handle(RequestContext ctx) throws Exception {
        if (!ctx.is(Request.REGISTER)) {
            return false;
        }
        Request request = ctx.request();
        URI toUri = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI();
        // Refused before any state exists, as challenges are: a retransmission is refused again.
        if (!(toUri instanceof SipURI to) || to.getUser() == null || to.getUser().isEmpty()) {
            ctx.respondStatelessly(400, "Bad Request (To must be a sip: URI with a user part)");
            return true;
        }
        if (!local.isServed(to.getHost(), to.getPort())) {
            ctx.respondStatelessly(403, "Forbidden (domain not served here)");
            return true;
        }
        // An authenticated request has its server transaction, which absorbs retransmissions while the answer is
        // pending and for Timer J afterwards; a later copy carries a used nonce count and is challenged afresh.
        String user = digest.authenticate(ctx, DigestChallenger.Kind.REGISTRAR);
        if (user == null) {
            return true;
        }
        if (!user.equals(to.getUser())) {
            ctx.respond(403, "Forbidden (" + user + " may not register " + to.getUser() + ")");
            return true;
        }
        Map<String, URI> contactUris = new HashMap<>();
        RegisterRequest register = toRegisterRequest(ctx, AddressOfRecord.of(to.getUser(), local.domain()),
                contactUris);
        locations.register(register).whenCompleteAsync(
                (outcome, error) -> answer(ctx, register, contactUris, outcome, error), replies);
        return true;
    }

    /**
     * Answers once the registrar is done. It runs as a completion callback, where an exception would vanish into a
     * future nobody reads and leave the phone without an answer: whatever fails here is answered 500.
     */
    private void answer(RequestContext ctx, RegisterRequest register, Map<String, URI> contactUris,
            RegisterOutcome outcome, Throwable error) {
        try {
            ctx.respond(responseFor(ctx, RegisterReply.of(register.aor(), outcome, error), contactUris));
        } catch (RuntimeException e) {
            log.warn("REGISTER for {} not answered as it should be", register.aor(), e);
            ctx.respond(500, "Server Internal Error");
        }
    }

    /**
     * The registrar's view of the request; {@code contactUris} receives each Contact URI parsed from its text, by
     * that text.
     */
    private static RegisterRequest toRegisterRequest(RequestContext ctx, String aor, Map<String, URI> contactUris)
            throws ParseException {
        Request request = ctx.request();
        boolean wildcard = false;
        List<ContactSpec> contacts = new ArrayList<>();
        ListIterator<Header> it = request.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.isWildCard()) {
                wildcard = true;
                continue;
            }
            int expires = c.getExpires();
            float q = c.getQValue();
            String uri = c.getAddress().getURI().toString();
            // The 200 lists the bindings by re-parsing their stored text: a URI that JAIN-SIP parses but cannot
            // read back from its own text would be stored and then never answered. Refused here with 400. The
            // URI parsed goes into the 200, which then parses only bindings that other REGISTERs made.
            contactUris.put(uri, ctx.sip().addresses().createURI(uri));
            contacts.add(new ContactSpec(uri, expires < 0 ? null : expires, q < 0 ? null : q));
        }
        ExpiresHeader expires = (ExpiresHeader) request.getHeader(ExpiresHeader.NAME);
        UserAgentHeader ua = (UserAgentHeader) request.getHeader(UserAgentHeader.NAME);
        return new RegisterRequest(aor, wildcard, contacts, expires == null ? null : expires.getExpires(),
                ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
                ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber(),
                ctx.sourceHost(), ctx.sourcePort(), ctx.transport(), SipMessages.headerValue(ua));
    }

    /** @param contactUris URIs parsed from the request's Contacts, by their text; each is used once */
    private Response responseFor(RequestContext ctx, RegisterReply reply, Map<String, URI> contactUris) {
        SipMessages sip = ctx.sip();
        Request request = ctx.request();
        try {
            Response r = reply.retryAfterSeconds() > 0
                    ? sip.response(request, reply.status(), reply.reason(), reply.retryAfterSeconds())
                    : sip.response(request, reply.status(), reply.reason());
            if (reply.minExpires() > 0) {
                r.addHeader(sip.headers().createMinExpiresHeader(reply.minExpires()));
            }
            if (reply.status() == Response.OK) {
                r.removeHeader(ContactHeader.NAME);
                Instant now = clock.instant();
                for (Binding b : reply.bindings()) {
                    URI uri = contactUris.remove(b.contactUri());
                    ContactHeader c = sip.headers().createContactHeader(sip.addresses().createAddress(
                            uri != null ? uri : sip.addresses().createURI(b.contactUri())));
                    c.setExpires((int) Math.max(0, b.expiresInSeconds(now)));
                    c.setQValue(b.q());
                    r.addHeader(c);
                }
                r.addHeader(sip.date(now));
            }
            return r;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build the REGISTER response", e);
        }
    }
}
