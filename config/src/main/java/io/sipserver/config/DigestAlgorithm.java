package io.sipserver.config;

/** Digest algorithms the server can challenge with (RFC 8760 names). */
public enum DigestAlgorithm {
    MD5("MD5", "MD5"),
    SHA_256("SHA-256", "SHA-256");

    private final String sipName;
    private final String javaName;

    DigestAlgorithm(String sipName, String javaName) {
        this.sipName = sipName;
        this.javaName = javaName;
    }

    /** Name as written in the {@code algorithm=} parameter. */
    public String sipName() {
        return sipName;
    }

    /** Name of the {@link java.security.MessageDigest} algorithm. */
    public String javaName() {
        return javaName;
    }

    /** Parses an {@code algorithm=} value, case-insensitively; null when unknown. */
    public static DigestAlgorithm fromSipName(String name) {
        for (DigestAlgorithm a : values()) {
            if (a.sipName.equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }
}
