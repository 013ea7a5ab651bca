package io.sipserver.registrar.auth;

import io.sipserver.config.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/** The digest computations of RFC 7616 section 3.4.1 (qop=auth) and RFC 2069 (no qop), lowercase hex. */
public final class DigestHashes {

    private static final HexFormat HEX = HexFormat.of();
    private static final Map<DigestAlgorithm, ThreadLocal<MessageDigest>> DIGESTS = new EnumMap<>(DigestAlgorithm.class);

    static {
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            DIGESTS.put(a, ThreadLocal.withInitial(() -> newDigest(a)));
        }
    }

    private DigestHashes() {
    }

    /** HA1 = H(username:realm:password). */
    public static String ha1(DigestAlgorithm algorithm, String username, String realm, String password) {
        return hash(algorithm, username + ":" + realm + ":" + password);
    }

    /**
     * The request-digest: H(HA1:nonce:nc:cnonce:qop:HA2) with qop, H(HA1:nonce:HA2) when qop is null,
     * where HA2 = H(method:uri).
     */
    public static String response(DigestAlgorithm algorithm, String ha1, String nonce, String nc, String cnonce,
            String qop, String method, String uri) {
        String ha2 = hash(algorithm, method + ":" + uri);
        String data = qop == null
                ? ha1 + ":" + nonce + ":" + ha2
                : ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2;
        return hash(algorithm, data);
    }

    /** Lowercase hex of H(text), text in UTF-8. */
    private static String hash(DigestAlgorithm algorithm, String text) {
        MessageDigest digest = DIGESTS.get(algorithm).get();
        return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newDigest(DigestAlgorithm algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.javaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides " + algorithm.javaName(), e);
        }
    }
}
