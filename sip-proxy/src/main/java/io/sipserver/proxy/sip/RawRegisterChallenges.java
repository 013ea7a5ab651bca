package io.sipserver.proxy.sip;

import io.sipserver.registrar.auth.DigestChallenge;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import javax.sip.message.Request;

/**
 * The digest challenge (401 with one WWW-Authenticate per algorithm) to a REGISTER without credentials, written by
 * a UDP reader from the datagram's bytes ({@link RawRefusals}). Half of the REGISTERs a registrar receives are such
 * first attempts; answered here, as Kamailio's {@code www_challenge} answers them, each costs a scan and one
 * datagram instead of a full parse, a response object and its encoding.
 * <p>
 * Only a REGISTER the request pipeline would challenge too is taken: no To tag, no Authorization, no Proxy-Require
 * (420), no body, Route values (if any) that parse, and a {@code sip:} Request-URI and a {@code sip:} To URI with a
 * user part, both for a domain served here (otherwise 403 or 400). Anything else goes on to the stack, whose
 * pipeline answers it as before; the answer is the one it would give, stateless and with a To tag from the series
 * of stateless refusals ({@link InboundValve#REFUSAL_TAG}).
 */
final class RawRegisterChallenges {

    private static final byte[] STATUS_LINE = "SIP/2.0 401 Unauthorized".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WWW_AUTHENTICATE = "WWW-Authenticate: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REFUSAL_TAG = InboundValve.REFUSAL_TAG.getBytes(StandardCharsets.US_ASCII);

    private final LocalAddresses local;
    private final Supplier<List<DigestChallenge>> challenges;

    /** @param challenges fresh challenges (one nonce, one per algorithm, in the configured order) */
    RawRegisterChallenges(LocalAddresses local, Supplier<List<DigestChallenge>> challenges) {
        this.local = local;
        this.challenges = challenges;
    }

    /** Whether {@code request}, scanned, is a REGISTER to challenge here. */
    boolean applies(RawSipRequest request) {
        return !request.hasAuthorization() && forThisRegistrar(request);
    }

    /**
     * Whether {@code request}, scanned, is a plain REGISTER for this registrar: no To tag, Proxy-Require or body,
     * Route values that parse, and a {@code sip:} Request-URI and To URI with a user part, for a domain served here.
     * The To URI is the last one {@link RawSipRequest#sipUri} took apart when it is.
     */
    boolean forThisRegistrar(RawSipRequest request) {
        if (!Request.REGISTER.equals(request.method()) || request.hasToTag() || request.hasProxyRequire()
                || request.hasBody() || !routesParse(request)) {
            return false;
        }
        return request.sipUri(request.requestUriStart(), request.requestUriEnd()) && served(request)
                && request.sipUri(request.toUriStart(), request.toUriEnd())
                && request.uriUserEnd() > request.uriUserStart() && request.uriUserStart() >= 0 && served(request);
    }

    /**
     * Whether the Route values (a phone with an outbound proxy sends one naming us) are well-formed: the pipeline
     * pops ours and a REGISTER ends here whatever the rest say, but one the stack's parser refuses is a bad request.
     */
    private static boolean routesParse(RawSipRequest request) {
        for (int i = 0; i < request.routeCount(); i++) {
            if (PlainAddressParsers.route(request.text(request.routeStart(i), request.routeEnd(i)), 0) == null) {
                return false;
            }
        }
        return true;
    }

    /** Whether the URI {@link RawSipRequest#sipUri} took apart last addresses a domain served here. */
    private boolean served(RawSipRequest request) {
        String host = new String(request.data(), request.uriHostStart(), request.uriHostEnd() - request.uriHostStart(),
                StandardCharsets.US_ASCII);
        return local.isServed(host, request.uriPort());
    }

    /**
     * Writes the challenge to {@code request} (for which {@link #applies} held) into {@code writer}, as received from
     * {@code sourceHost} (ASCII) and {@code sourcePort}.
     *
     * @return false when it did not fit in the writer's buffer
     */
    boolean write(RawResponseWriter writer, RawSipRequest request, byte[] sourceHost, int sourcePort) {
        writer.start(request, STATUS_LINE, sourceHost, sourcePort, REFUSAL_TAG, InboundValve.nextRefusal());
        for (DigestChallenge c : challenges.get()) {
            writer.header(WWW_AUTHENTICATE, headerValue(c));
        }
        return writer.finish();
    }

    /** As JAIN-SIP encodes the header the request pipeline builds from the same parts. */
    static String headerValue(DigestChallenge c) {
        return "Digest realm=\"" + c.realm() + "\",nonce=\"" + c.nonce() + "\",algorithm=" + c.algorithm()
                + ",qop=\"" + c.qop() + "\"" + (c.stale() ? ",stale=true" : "");
    }
}
