package io.sipserver.registrar.auth;

import io.sipserver.config.DigestAlgorithm;
import io.sipserver.registrar.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Digest authentication for SIP (RFC 3261 section 22, RFC 7616, RFC 8760): challenges and verification.
 *
 * <p>Every challenge offers each configured algorithm in order, all with one fresh nonce and {@code qop="auth"}.
 * Nonces are stateless and signed ({@link NonceCodec}); the nonce-count of each nonce must strictly increase
 * ({@link NonceCountTracker}). A client that answers without qop (RFC 2069 style, as SIPp does when it ignores
 * the qop offer) is still accepted when its response is right, for compatibility; without nc such a nonce can
 * be replayed until it expires or is evicted. The {@code uri} parameter is not compared with the Request-URI.
 *
 * <p>Thread-safe; no lock on the verification path.
 */
public final class DigestAuthenticator {

    /** Nonce-count table size: at 16,000 challenges/s a slot is reused after about a minute. */
    public static final int DEFAULT_NONCE_SLOTS = 1 << 20;
    private static final String QOP_AUTH = "auth";
    /** Nonces are issued by this process, so any larger difference means the clock was stepped. */
    private static final long MAX_CLOCK_STEP_MILLIS = 5_000;
    /** Stands in for the HA1 of a user name nobody has. */
    private static final String NO_USER_HA1 = "0".repeat(32);

    private final List<DigestAlgorithm> algorithms;
    private final String realm;
    private final long nonceTtlMillis;
    private final Clock clock;
    private final Function<String, Optional<User>> users;
    private final NonceCodec nonces;
    private final NonceCountTracker nonceCounts;
    private final AtomicLong nextNonceId;
    private final String challengeRealm;

    /**
     * @param algorithms algorithms to challenge with, in order
     * @param secret key that signs nonces; null or empty = a random key (nonces then die with a restart)
     * @param users the user of a digest username
     */
    public DigestAuthenticator(List<DigestAlgorithm> algorithms, String realm, Duration nonceTtl, byte[] secret,
            Clock clock, Function<String, Optional<User>> users) {
        this(algorithms, realm, nonceTtl, secret, clock, users, DEFAULT_NONCE_SLOTS);
    }

    /** @param nonceSlots size of the nonce-count table, a power of two */
    public DigestAuthenticator(List<DigestAlgorithm> algorithms, String realm, Duration nonceTtl, byte[] secret,
            Clock clock, Function<String, Optional<User>> users, int nonceSlots) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one digest algorithm is required");
        }
        this.algorithms = List.copyOf(algorithms);
        this.realm = realm;
        this.nonceTtlMillis = nonceTtl.toMillis();
        this.clock = clock;
        this.users = users;
        SecureRandom random = new SecureRandom();
        this.nonces = new NonceCodec(secret == null || secret.length == 0 ? randomKey(random) : secret.clone());
        this.nonceCounts = new NonceCountTracker(nonceSlots);
        // A random start keeps ids of this run apart from those of earlier runs signed with the same key.
        this.nextNonceId = new AtomicLong(random.nextLong() >>> 12);
        this.challengeRealm = realm.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Challenges for WWW-Authenticate (401) or Proxy-Authenticate (407) headers, one per algorithm, in the
     * configured order, sharing one fresh nonce.
     *
     * @param stale true to tell the client its credentials were right but the nonce is no longer valid
     */
    public List<DigestChallenge> challenges(boolean stale) {
        long id = nextNonceId.getAndIncrement();
        nonceCounts.issued(id);
        String nonce = nonces.encode(id, clock.millis());
        return algorithms.stream()
                .map(a -> new DigestChallenge(challengeRealm, nonce, a.sipName(), QOP_AUTH, stale))
                .toList();
    }

    /**
     * Verifies an Authorization / Proxy-Authorization header value.
     *
     * @param method the request's method, e.g. REGISTER
     */
    public AuthResult verify(String credentials, String method) {
        try {
            return verify(DigestCredentials.parse(credentials), method);
        } catch (IllegalArgumentException e) {
            return malformed(e);
        }
    }

    /** The refusal of credentials that {@link DigestCredentials#parse} refused with {@code e}. */
    public static AuthResult malformed(IllegalArgumentException e) {
        return new AuthResult.Rejected("malformed credentials: " + e.getMessage());
    }

    /**
     * Verifies credentials already parsed from an Authorization / Proxy-Authorization header value.
     *
     * @param method the request's method, e.g. REGISTER
     */
    public AuthResult verify(DigestCredentials c, String method) {
        DigestAlgorithm algorithm = c.algorithm() == null ? DigestAlgorithm.MD5 : DigestAlgorithm.fromSipName(c.algorithm());
        if (algorithm == null || !algorithms.contains(algorithm)) {
            return new AuthResult.Rejected("unsupported algorithm " + c.algorithm());
        }
        if (!realm.equals(c.realm())) {
            return new AuthResult.Rejected("wrong realm " + c.realm());
        }
        if (c.qop() != null && !QOP_AUTH.equalsIgnoreCase(c.qop())) {
            return new AuthResult.Rejected("unsupported qop " + c.qop());
        }
        long nc = c.qop() == null ? 0 : parseNonceCount(c.nc());
        if (nc < 0) {
            return new AuthResult.Rejected("malformed nc " + c.nc());
        }
        NonceCodec.Nonce nonce = nonces.decode(c.nonce());
        if (nonce == null) {
            return new AuthResult.Rejected("nonce not issued by this server");
        }
        Optional<User> user = users.apply(c.username());
        // An unknown user costs the same hashing as a known one, so the time to answer does not tell them apart.
        String expected = DigestHashes.response(algorithm, user.map(u -> ha1(u, algorithm)).orElse(NO_USER_HA1),
                c.nonce(), c.nc(), c.cnonce(), c.qop(), method, c.uri());
        if (user.isEmpty()) {
            return new AuthResult.Rejected("unknown user " + c.username());
        }
        if (!MessageDigest.isEqual(ascii(expected), ascii(c.response().toLowerCase(Locale.ROOT)))) {
            return new AuthResult.Rejected("wrong response for user " + c.username());
        }
        // Only a right response earns stale=true (RFC 7616 section 3.3): the client knows the password.
        long age = clock.millis() - nonce.issuedAtMillis();
        if (age > nonceTtlMillis || age < -MAX_CLOCK_STEP_MILLIS) {
            return new AuthResult.Stale();
        }
        if (c.qop() == null) {
            return nonceCounts.isCurrent(nonce.id()) ? new AuthResult.Authenticated(c.username()) : new AuthResult.Stale();
        }
        return switch (nonceCounts.use(nonce.id(), nc)) {
            case ACCEPTED -> new AuthResult.Authenticated(c.username());
            // A used nonce count with the right response is no password guess: mostly a UDP client's late
            // retransmission (its Timer F runs 32 s, our server transaction absorbs copies for 5 s), and a captured
            // request replayed by someone else is as useless against a fresh challenge.
            case REPLAYED, EVICTED -> new AuthResult.Stale();
        };
    }

    private static String ha1(User user, DigestAlgorithm algorithm) {
        return switch (algorithm) {
            case MD5 -> user.ha1Md5();
            case SHA_256 -> user.ha1Sha256();
        };
    }

    /** The 8 hex digits of nc, or -1. */
    private static long parseNonceCount(String nc) {
        if (nc.length() != 8) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < nc.length(); i++) {
            int digit = Character.digit(nc.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] randomKey(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }
}
