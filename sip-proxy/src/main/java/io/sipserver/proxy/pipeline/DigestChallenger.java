package io.sipserver.proxy.pipeline;

import io.sipserver.proxy.sip.SipMessages;
import io.sipserver.registrar.auth.AuthResult;
import io.sipserver.registrar.auth.DigestAuthenticator;
import java.text.ParseException;
import java.util.ListIterator;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of a request, for the registrar (401 / WWW-Authenticate / Authorization) and for the
 * proxy (407 / Proxy-Authenticate / Proxy-Authorization), with the same rules for both.
 */
public final class DigestChallenger {

    private static final Logger log = LoggerFactory.getLogger(DigestChallenger.class);

    /** Which challenge/credentials header pair applies. */
    public enum Kind {
        REGISTRAR(401, "WWW-Authenticate", "Authorization"),
        PROXY(407, "Proxy-Authenticate", "Proxy-Authorization");

        final int status;
        final String challengeHeader;
        final String credentialsHeader;

        Kind(int status, String challengeHeader, String credentialsHeader) {
            this.status = status;
            this.challengeHeader = challengeHeader;
            this.credentialsHeader = credentialsHeader;
        }
    }

    private final DigestAuthenticator authenticator;
    private final String realm;

    public DigestChallenger(DigestAuthenticator authenticator, String realm) {
        this.authenticator = authenticator;
        this.realm = realm;
    }

    /**
     * Returns the authenticated user name, or null after having answered the request: a challenge when there are
     * no credentials for our realm or the nonce is stale, 403 when the credentials are wrong.
     */
    public String authenticate(RequestContext ctx, Kind kind) {
        String credentials = credentialsForRealm(ctx, kind);
        if (credentials == null) {
            challenge(ctx, kind, false);
            return null;
        }
        AuthResult result = authenticator.verify(credentials, ctx.method());
        if (result instanceof AuthResult.Authenticated ok) {
            return ok.username();
        }
        if (result instanceof AuthResult.Stale) {
            challenge(ctx, kind, true);
            return null;
        }
        String reason = result instanceof AuthResult.Rejected r ? r.reason() : "bad credentials";
        log.info("{} from {}:{} refused: {}", ctx.method(), ctx.sourceHost(), ctx.sourcePort(), reason);
        ctx.respond(403, "Forbidden (" + reason + ")");
        return null;
    }

    private String credentialsForRealm(RequestContext ctx, Kind kind) {
        ListIterator<Header> it = ctx.request().getHeaders(kind.credentialsHeader);
        while (it.hasNext()) {
            String value = SipMessages.headerValue(it.next());
            if (value != null && realmOf(value).equals(realm)) {
                return value;
            }
        }
        return null;
    }

    private static String realmOf(String credentials) {
        int i = credentials.indexOf("realm=");
        if (i < 0) {
            return "";
        }
        int start = i + 6;
        if (start < credentials.length() && credentials.charAt(start) == '"') {
            int end = credentials.indexOf('"', start + 1);
            return end < 0 ? "" : credentials.substring(start + 1, end);
        }
        int end = credentials.indexOf(',', start);
        return (end < 0 ? credentials.substring(start) : credentials.substring(start, end)).trim();
    }

    private void challenge(RequestContext ctx, Kind kind, boolean stale) {
        Response r = ctx.sip().response(ctx.request(), kind.status, null);
        try {
            for (String value : authenticator.challenges(stale)) {
                r.addHeader(ctx.sip().headers().createHeader(kind.challengeHeader, value));
            }
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a digest challenge", e);
        }
        ctx.respond(r);
    }
}
