package io.sipserver.registrar.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces: base64url(issue time, sequence id, HMAC-SHA256 of both truncated to 128 bits). Only this
 * server's key can make one, so a nonce that verifies was issued here and carries its true issue time.
 */
final class NonceCodec {

    /** A nonce that verified. */
    record Nonce(long id, long issuedAtMillis) {
    }

    private static final String HMAC = "HmacSHA256";
    private static final int DATA_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final int ENCODED_LENGTH = 43;

    private final ThreadLocal<Mac> macs;

    NonceCodec(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret, HMAC);
        this.macs = ThreadLocal.withInitial(() -> newMac(key));
    }

    String encode(long id, long issuedAtMillis) {
        ByteBuffer buffer = ByteBuffer.allocate(DATA_BYTES + MAC_BYTES).putLong(issuedAtMillis).putLong(id);
        buffer.put(sign(buffer.array()), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /** The nonce's content, or null when it was not made by this codec's key. */
    Nonce decode(String nonce) {
        if (nonce.length() != ENCODED_LENGTH) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] expected = Arrays.copyOf(sign(raw), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, DATA_BYTES, DATA_BYTES + MAC_BYTES))) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        long issuedAt = buffer.getLong();
        return new Nonce(buffer.getLong(), issuedAt);
    }

    private byte[] sign(byte[] raw) {
        Mac mac = macs.get();
        mac.update(raw, 0, DATA_BYTES);
        return mac.doFinal();
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides " + HMAC, e);
        }
    }
}
