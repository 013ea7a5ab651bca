package io.sipserver.proxy.pipeline;

import io.sipserver.proxy.guard.AuthFailureTracker;
import io.sipserver.proxy.sip.ReceivedCredentials;
import io.sipserver.registrar.auth.AuthResult;
import io.sipserver.registrar.auth.DigestChallenge;
import io.sipserver.registrar.auth.DigestAuthenticator;
import java.text.ParseException;
import java.util.ListIterator;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of a request, for the registrar (401 / WWW-Authenticate / Authorization) and for the
 * proxy (407 / Proxy-Authenticate / Proxy-Authorization), with the same rules for both. Failures are reported to
 * the {@link AuthFailureTracker}: repeated ones are answered late (from a timer, never by holding a SIP worker
 * thread), and a user or address it has locked gets 403 with Retry-After before its credentials are even checked.
 * <p>
 * Challenges and lockout refusals are sent statelessly: a request without credentials creates no transaction
 * here, and its retransmission gets a fresh challenge. A request with credentials gets its server transaction
 * before they are checked, so that a retransmission racing its original is dropped as a duplicate instead of being
 * challenged again as a replay of the same nonce count, and retransmissions of a refusal held back are absorbed. A
 * used nonce count with the right response is challenged with stale=true and is not a failed attempt: a phone
 * whose 200 was lost retransmits for 32 s, and its copies must not lock its address out.
 */
public final class DigestChallenger {

    private static final Logger log = LoggerFactory.getLogger(DigestChallenger.class);

    /** Which challenge (401 WWW-Authenticate or 407 Proxy-Authenticate) and credentials header apply. */
    public enum Kind {
        REGISTRAR(401, "Authorization"),
        PROXY(407, "Proxy-Authorization");

        final int status;
        final String credentialsHeader;

        Kind(int status, String credentialsHeader) {
            this.status = status;
            this.credentialsHeader = credentialsHeader;
        }
    }

    /**
     * The one refusal for credentials that do not authenticate, whatever the reason: an unknown user and a wrong
     * password must look alike, or a guesser learns which user names exist. The reason goes to the log.
     */
    private static final String REJECTED = "Forbidden (bad credentials)";
    private static final String DIGEST = "Digest";

    private final DigestAuthenticator authenticator;
    private final String realm;
    private final AuthFailureTracker failures;
    private final ScheduledExecutorService timers;

    /** @param timers where held-back refusals are sent from */
    public DigestChallenger(DigestAuthenticator authenticator, String realm, AuthFailureTracker failures,
            ScheduledExecutorService timers) {
        this.authenticator = authenticator;
        this.realm = realm;
        this.failures = failures;
        this.timers = timers;
    }

    /**
     * Returns the authenticated user name, or null after having answered the request (or arranged the answer): a
     * challenge when there are no credentials for our realm or the nonce is stale, 403 when the credentials are
     * wrong or the user is locked out from this address. When it returns a user, the request's server transaction
     * exists.
     *
     * @throws RequestContext.DuplicateRequest when the request is a retransmission the stack already holds
     */
    public String authenticate(RequestContext ctx, Kind kind) throws SipException {
        ReceivedCredentials credentials = credentialsForRealm(ctx, kind);
        if (credentials == null) {
            challenge(ctx, kind, false);
            return null;
        }
        String claimedUser = credentials.username();
        long lockedForMillis = failures.lockedForMillis(claimedUser, ctx.sourceAddress());
        if (lockedForMillis > 0) {
            refuseLocked(ctx, lockedForMillis);
            return null;
        }
        ctx.serverTransaction();
        AuthResult result = credentials.digest() != null ? authenticator.verify(credentials.digest(), ctx.method())
                : DigestAuthenticator.malformed(credentials.error());
        if (result instanceof AuthResult.Authenticated ok) {
            failures.succeeded(ok.username(), ctx.sourceAddress());
            return ok.username();
        }
        if (result instanceof AuthResult.Stale) {
            challenge(ctx, kind, true);
            return null;
        }
        String reason = result instanceof AuthResult.Rejected r ? r.reason() : "bad credentials";
        long delayMillis = failures.failed(claimedUser, ctx.sourceAddress());
        log.info("{} from {}:{} refused: {}", ctx.method(), ctx.sourceHost(), ctx.sourcePort(), reason);
        respondLater(ctx, delayMillis, 403, REJECTED);
        return null;
    }

    /** 403 rather than 503: the server is not overloaded, and a 503 would send the phone to another server. */
    private static void refuseLocked(RequestContext ctx, long lockedForMillis) {
        log.debug("{} from {} refused: locked after failed attempts", ctx.method(), ctx.sourceHost());
        ctx.respondStatelessly(ctx.sip().response(ctx.request(), 403, "Forbidden (too many failed attempts)",
                (int) ((lockedForMillis + 999) / 1000)));
    }

    /**
     * Sends the refusal after {@code delayMillis} from a timer. The server transaction exists before, so the
     * client's retransmissions are absorbed meanwhile.
     */
    private void respondLater(RequestContext ctx, long delayMillis, int status, String reason) {
        if (delayMillis > 0) {
            try {
                timers.schedule(() -> ctx.respond(status, reason), delayMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException e) {
                log.debug("refusal of {} from {} not held back: {}", ctx.method(), ctx.sourceHost(), e.toString());
            }
        }
        ctx.respond(status, reason);
    }

    /** The first credentials for our realm, each header's parameters parsed once. */
    private ReceivedCredentials credentialsForRealm(RequestContext ctx, Kind kind) {
        ListIterator<Header> it = ctx.request().getHeaders(kind.credentialsHeader);
        while (it.hasNext()) {
            ReceivedCredentials credentials = ReceivedCredentials.of(it.next());
            if (credentials.value() != null && credentials.realm().equals(realm)) {
                return credentials;
            }
        }
        return null;
    }

    /** The challenge headers are built from their parts: parsing our own text back cost 2 % of a REGISTER. */
    private void challenge(RequestContext ctx, Kind kind, boolean stale) {
        Response r = ctx.sip().response(ctx.request(), kind.status, null);
        HeaderFactory headers = ctx.sip().headers();
        try {
            for (DigestChallenge c : authenticator.challenges(stale)) {
                WWWAuthenticateHeader h = kind == Kind.PROXY ? headers.createProxyAuthenticateHeader(DIGEST)
                        : headers.createWWWAuthenticateHeader(DIGEST);
                h.setRealm(c.realm());
                h.setNonce(c.nonce());
                h.setAlgorithm(c.algorithm());
                h.setQop(c.qop());
                if (c.stale()) {
                    h.setStale(true);
                }
                r.addHeader(h);
            }
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a digest challenge", e);
        }
        ctx.respondStatelessly(r);
    }
}
