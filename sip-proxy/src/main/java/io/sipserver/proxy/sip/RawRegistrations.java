package io.sipserver.proxy.sip;

import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.message.SIPResponse;
import io.sipserver.proxy.guard.AuthFailureTracker;
import io.sipserver.registrar.AddressOfRecord;
import io.sipserver.registrar.Binding;
import io.sipserver.registrar.ContactSpec;
import io.sipserver.registrar.LocationService;
import io.sipserver.registrar.RegisterOutcome;
import io.sipserver.registrar.RegisterRequest;
import io.sipserver.registrar.auth.AuthResult;
import io.sipserver.registrar.auth.DigestAuthenticator;
import io.sipserver.registrar.auth.DigestCredentials;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sip.address.AddressFactory;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTERs with credentials over UDP, handled from the datagram's bytes by the receive queue's workers: no JAIN-SIP
 * message, no server transaction, no response object. The rules are the registrar's and the authenticator's, as
 * the request pipeline's {@code RegisterStage} applies them; what differs is only how the request is read and the
 * answer written. This is the path of a phone's every registration and refresh once challenged, and where
 * JAIN-SIP's parse, transaction and response objects cost most of a REGISTER's CPU.
 * <p>
 * It takes only what it can decide alone: a plain REGISTER for this registrar ({@link RawRegisterChallenges
 * #forThisRegistrar}) with one Authorization for our realm, Contacts the stack's own parser reads, and credentials
 * that authenticate. Everything else (no or foreign credentials, a wrong password, a stale nonce, a locked-out user,
 * a Contact it cannot read) goes on to the stack and the pipeline as before, before anything is changed: the digest
 * check has no side effect unless it succeeds. Answers are kept in {@link RegisterAnswers} for retransmissions,
 * which the UDP reader looks up.
 */
final class RawRegistrations {

    private static final Logger log = LoggerFactory.getLogger(RawRegistrations.class);

    /** To tags of the answers written here. */
    private static final byte[] TAG_PREFIX = "rg-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTACT = "Contact: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATE = "Date: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIN_EXPIRES = "Min-Expires: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RETRY_AFTER = "Retry-After: ".getBytes(StandardCharsets.US_ASCII);
    /** Room for what an answer adds to the request's header fields it copies (its Contacts, Date). */
    private static final int HEADROOM = 4096;
    private static final int MAX_FAILURES_LOGGED = 10;

    private final RawRegisterChallenges forUs;
    private final String realm;
    private final String domain;
    private final DigestAuthenticator authenticator;
    private final AuthFailureTracker failures;
    private final LocationService locations;
    private final AddressFactory addresses;
    private final Clock clock;
    private final Executor replies;
    private final RegisterAnswers answers;
    private final Supplier<SipTraffic> traffic;
    private final ThreadLocal<Scratch> scratch;
    private final ContactValues contactValues;
    private final AtomicLong tags = new AtomicLong();
    private volatile int failuresLogged;

    /** A thread's scanner and writer. */
    private record Scratch(RawSipRequest request, RawResponseWriter writer) {
    }

    /**
     * @param realm the realm credentials must be for (others are the pipeline's to challenge)
     * @param domain the served domain, of every address-of-record
     * @param replies where answers are written once the registrar's change is durable
     */
    RawRegistrations(RawRegisterChallenges forUs, String realm, String domain, DigestAuthenticator authenticator,
            AuthFailureTracker failures, LocationService locations, AddressFactory addresses, Clock clock,
            Executor replies, RegisterAnswers answers, Supplier<SipTraffic> traffic, int maxMessageSize) {
        this.forUs = forUs;
        this.realm = realm;
        this.domain = domain;
        this.authenticator = authenticator;
        this.failures = failures;
        this.locations = locations;
        this.addresses = addresses;
        this.clock = clock;
        this.replies = replies;
        this.answers = answers;
        this.traffic = traffic;
        this.contactValues = new ContactValues(ContactValues.DEFAULT_CAPACITY);
        this.scratch = ThreadLocal.withInitial(
                () -> new Scratch(new RawSipRequest(), new RawResponseWriter(maxMessageSize + HEADROOM)));
    }

    RegisterAnswers answers() {
        return answers;
    }

    /** Whether {@code request}, scanned by a UDP reader, is one for {@link #handle} (which decides for good). */
    boolean applies(RawSipRequest request) {
        return request.authorizations() == 1 && request.hasRfc3261Branch() && forUs.forThisRegistrar(request);
    }

    /**
     * Handles the REGISTER in {@code packet}, answering on {@code socket}, when it can; called by a worker for a
     * datagram the reader found {@link #applies} to and claimed an answer for.
     *
     * @return false when the request is for the stack (its claim on an answer is then released)
     */
    boolean handle(DatagramPacket packet, DatagramSocket socket) {
        RawSipRequest request = scratch.get().request();
        if (!request.scan(packet.getData(), packet.getLength()) || !applies(request)) {
            return false;
        }
        String key = request.transactionKey();
        if (!handled(request, packet, socket, key)) {
            answers.release(key);
            return false;
        }
        return true;
    }

    private boolean handled(RawSipRequest request, DatagramPacket packet, DatagramSocket socket, String key) {
        InetAddress source = packet.getAddress();
        Registration registration;
        try {
            registration = registration(request, source, packet.getPort());
        } catch (RuntimeException e) {
            log.debug("REGISTER from {} left to the stack: {}", source, e.toString());
            return false;
        }
        if (registration == null || !realm.equals(registration.credentials().realm())) {
            return false;
        }
        DigestCredentials credentials = registration.credentials();
        if (failures.lockedForMillis(credentials.username(), source) > 0) {
            return false;
        }
        Answering answering = answering(request, source, packet.getPort(), socket, key);
        if (answering == null) {
            return false;
        }
        // Without side effects unless it succeeds: the stack's pipeline checks anew what fails here.
        if (!(authenticator.verify(credentials, Request.REGISTER) instanceof AuthResult.Authenticated ok)) {
            return false;
        }
        failures.succeeded(ok.username(), source);
        registration.contactsRead().forEach(contactValues::remember);
        traffic.get().rawRequestReceived(Request.REGISTER);
        String toUser = registration.toUser();
        if (!ok.username().equals(toUser)) {
            respond(answering, new RegisterReply(403,
                    "Forbidden (" + ok.username() + " may not register " + toUser + ")", List.of(), 0, 0));
            return true;
        }
        RegisterRequest register = registration.request();
        locations.register(register).whenCompleteAsync(
                (outcome, error) -> answer(answering, register.aor(), outcome, error), replies);
        return true;
    }

    /**
     * A REGISTER read, before its credentials are checked.
     *
     * @param contactsRead the Contact values read afresh, not found in {@link ContactValues}, with what they read as
     */
    private record Registration(DigestCredentials credentials, String toUser, RegisterRequest request,
            Map<String, List<ContactSpec>> contactsRead) {
    }

    /**
     * What an answer needs of its request, copied on the worker, so that the thread that answers once the change is
     * durable writes it without scanning the request again: the header fields a response copies, where it goes, and
     * its key in {@link RegisterAnswers}.
     */
    private record Answering(byte[] fields, InetAddress address, int port, DatagramSocket socket, String key) {
    }

    /** Null when the copied fields do not fit in an answer. */
    private Answering answering(RawSipRequest request, InetAddress source, int sourcePort, DatagramSocket socket,
            String key) {
        byte[] fields = copiedFields(request, source, sourcePort);
        return fields == null ? null
                : new Answering(fields, source, request.responsePort(sourcePort), socket, key);
    }

    private byte[] copiedFields(RawSipRequest request, InetAddress source, int sourcePort) {
        return scratch.get().writer().copiedFields(request, source.getHostAddress().getBytes(
                StandardCharsets.US_ASCII), sourcePort, TAG_PREFIX, tags.incrementAndGet());
    }

    /** The request read, or null when something in it is for the stack's parser and pipeline to judge. */
    private Registration registration(RawSipRequest request, InetAddress source, int sourcePort) {
        // The scan's last URI is the To URI (see RawRegisterChallenges.forThisRegistrar).
        String toUser = request.text(request.uriUserStart(), request.uriUserEnd());
        DigestCredentials credentials;
        try {
            credentials = DigestCredentials.parse(request.text(request.authorizationStart(),
                    request.authorizationEnd()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<ContactSpec> contacts = new ArrayList<>();
        Map<String, List<ContactSpec>> contactsRead = Map.of();
        boolean wildcard = false;
        for (int i = 0; i < request.contactCount(); i++) {
            String value = request.text(request.contactStart(i), request.contactEnd(i));
            if (value.equals("*")) {
                wildcard = true;
                continue;
            }
            List<ContactSpec> read = contactValues.known(value);
            if (read == null) {
                read = readContacts(value);
                if (read == null) {
                    return null;
                }
                if (contactsRead.isEmpty()) {
                    contactsRead = new HashMap<>();
                }
                contactsRead.put(value, read);
            }
            contacts.addAll(read);
        }
        Integer expires = null;
        if (request.expiresStart() >= 0) {
            expires = digits(request.data(), request.expiresStart(), request.expiresEnd());
            if (expires == null) {
                return null;
            }
        }
        String userAgent = request.userAgentStart() < 0 ? null
                : request.text(request.userAgentStart(), request.userAgentEnd());
        RegisterRequest register = new RegisterRequest(AddressOfRecord.of(toUser, domain), wildcard, contacts,
                expires, request.text(request.callIdStart(), request.callIdEnd()), request.cseqNumber(),
                source.getHostAddress(), sourcePort, "UDP", userAgent);
        return new Registration(credentials, toUser, register, contactsRead);
    }

    /**
     * The Contacts of one header value, read by the parser the stack reads them with, as the pipeline's RegisterStage
     * takes them; null when that parser does not take the value (the stack's own parser then decides), or a URI does
     * not parse back from its text (RegisterStage refuses that with 400).
     */
    private List<ContactSpec> readContacts(String value) {
        if (!(PlainAddressParsers.contact(value, 0) instanceof ContactList list)) {
            return null;
        }
        List<ContactSpec> contacts = new ArrayList<>(list.size());
        for (ContactHeader c : list) {
            String uri = c.getAddress().getURI().toString();
            try {
                addresses.createURI(uri);
            } catch (ParseException e) {
                return null;
            }
            int expires = c.getExpires();
            float q = c.getQValue();
            contacts.add(new ContactSpec(uri, expires < 0 ? null : expires, q < 0 ? null : q));
        }
        return contacts;
    }

    /** A non-negative decimal of at most 9 digits, or null. */
    private static Integer digits(byte[] data, int start, int end) {
        if (end == start || end - start > 9) {
            return null;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            if (data[i] < '0' || data[i] > '9') {
                return null;
            }
            value = value * 10 + data[i] - '0';
        }
        return value;
    }

    /**
     * Runs a REGISTER through what the UDP reader and a worker do with it, without verifying, storing, sending or
     * counting anything: for the JIT at start-up ({@link SipMessagePathWarmUp}). Without credentials, its challenge
     * is written (the nonce is issued, and never answered); with them, the request is read and the 200 its Contacts
     * would get is written.
     *
     * @return the length of the answer written
     * @throws IllegalStateException when the request is not one this path takes
     */
    int rehearse(byte[] datagram, InetAddress source, int sourcePort) {
        Scratch mine = scratch.get();
        RawSipRequest request = mine.request();
        if (!request.scan(datagram, datagram.length)) {
            throw new IllegalStateException("the REGISTER does not scan");
        }
        if (forUs.applies(request)) {
            byte[] host = source.getHostAddress().getBytes(StandardCharsets.US_ASCII);
            if (!forUs.write(mine.writer(), request, host, sourcePort)) {
                throw new IllegalStateException("the challenge does not fit");
            }
            return mine.writer().length();
        }
        Registration registration = applies(request) ? registration(request, source, sourcePort) : null;
        if (registration == null) {
            throw new IllegalStateException("the REGISTER is not one served unparsed");
        }
        RegisterRequest r = registration.request();
        Instant now = clock.instant();
        List<Binding> bindings = r.contacts().stream().map(c -> new Binding(r.aor(), c.uri(), now.plusSeconds(3600),
                1.0f, r.callId(), r.cseq(), r.sourceHost(), r.sourcePort(), r.transport(), r.userAgent(), now))
                .toList();
        byte[] fields = copiedFields(request, source, sourcePort);
        byte[] answer = fields == null ? null : written(fields, new RegisterReply(200, null, bindings, 0, 0));
        if (answer == null) {
            throw new IllegalStateException("the 200 does not fit");
        }
        return answer.length;
    }

    /** Answers once the registrar is done; runs on the replies executor. Whatever fails here is answered 500. */
    private void answer(Answering answering, String aor, RegisterOutcome outcome, Throwable error) {
        RegisterReply reply;
        try {
            reply = RegisterReply.of(aor, outcome, error);
        } catch (RuntimeException e) {
            log.warn("REGISTER for {} not answered as it should be", aor, e);
            reply = new RegisterReply(500, "Server Internal Error", List.of(), 0, 0);
        }
        respond(answering, reply);
    }

    /** Writes and sends {@code reply} and keeps it for retransmissions. */
    private void respond(Answering answering, RegisterReply reply) {
        byte[] datagram = written(answering.fields(), reply);
        if (datagram == null) {
            log.warn("the {} to a REGISTER from {} does not fit in a datagram; not sent", reply.status(),
                    answering.address());
            return;
        }
        answers.sent(answering.key(), datagram);
        try {
            answering.socket().send(new DatagramPacket(datagram, datagram.length, answering.address(),
                    answering.port()));
            traffic.get().rawResponseSent(Request.REGISTER, reply.status());
        } catch (IOException | RuntimeException e) {
            logFailure(e);
        }
    }

    /** {@code reply} after the header fields copied from its request, as bytes; null when it does not fit. */
    private byte[] written(byte[] copiedFields, RegisterReply reply) {
        RawResponseWriter writer = scratch.get().writer();
        String reason = reply.reason() != null ? reply.reason() : SIPResponse.getReasonPhrase(reply.status());
        writer.start(("SIP/2.0 " + reply.status() + " " + reason).getBytes(StandardCharsets.UTF_8), copiedFields);
        if (reply.minExpires() > 0) {
            writer.header(MIN_EXPIRES, Integer.toString(reply.minExpires()));
        }
        if (reply.retryAfterSeconds() > 0) {
            writer.header(RETRY_AFTER, Integer.toString(reply.retryAfterSeconds()));
        }
        if (reply.status() == 200) {
            Instant now = clock.instant();
            for (Binding b : reply.bindings()) {
                writer.header(CONTACT, "<" + b.contactUri() + ">;expires=" + Math.max(0, b.expiresInSeconds(now))
                        + ";q=" + b.q());
            }
            writer.header(DATE, SipDates.text(now));
        }
        return writer.finish() ? Arrays.copyOf(writer.buffer(), writer.length()) : null;
    }

    /** The first few only: a socket that fails for every answer must not flood the log. */
    private void logFailure(Exception e) {
        if (failuresLogged < MAX_FAILURES_LOGGED) {
            failuresLogged++;
            log.warn("answer to a REGISTER not sent{}: {}",
                    failuresLogged == MAX_FAILURES_LOGGED ? " (further failures are not logged)" : "", e.toString());
        }
    }
}
