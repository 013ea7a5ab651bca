package io.sipserver.registrar.auth;

/**
 * One digest challenge (a WWW-Authenticate or Proxy-Authenticate header) as its parts, so that the SIP layer builds
 * the header from them instead of parsing text of ours back.
 *
 * @param realm the realm, already escaped for a quoted string (RFC 3261 section 25.1)
 * @param algorithm the algorithm's name in SIP, e.g. MD5 or SHA-256
 * @param qop the quality of protection offered
 * @param stale whether the client's credentials were right but for an expired nonce (RFC 7616 section 3.3)
 */
public record DigestChallenge(String realm, String nonce, String algorithm, String qop, boolean stale) {
}
