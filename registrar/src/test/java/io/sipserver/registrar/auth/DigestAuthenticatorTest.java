package io.sipserver.registrar.auth;

import static io.sipserver.config.DigestAlgorithm.MD5;
import static io.sipserver.config.DigestAlgorithm.SHA_256;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipserver.config.DigestAlgorithm;
import io.sipserver.config.testing.MutableClock;
import io.sipserver.registrar.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {

    private static final String REALM = "example.com";
    private static final String URI = "sip:example.com";
    private static final Map<String, User> USERS = Map.of("alice", user("alice", "s3cret"));

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    private final DigestAuthenticator auth = authenticator(List.of(MD5, SHA_256), 1 << 10);

    @Test
    void challengesOfferEachAlgorithmInTheConfiguredOrderWithOneNonce() {
        List<DigestChallenge> md5First = auth.challenges(false);
        List<DigestChallenge> sha256First = authenticator(List.of(SHA_256, MD5), 16).challenges(false);

        assertThat(md5First).extracting(DigestChallenge::algorithm).containsExactly("MD5", "SHA-256");
        assertThat(md5First).allSatisfy(c -> {
            assertThat(c.realm()).isEqualTo("example.com");
            assertThat(c.qop()).isEqualTo("auth");
            assertThat(c.stale()).isFalse();
        });
        assertThat(md5First.get(0).nonce()).isNotEmpty().isEqualTo(md5First.get(1).nonce());
        assertThat(sha256First).extracting(DigestChallenge::algorithm).containsExactly("SHA-256", "MD5");
        assertThat(auth.challenges(false).get(0).nonce()).isNotEqualTo(md5First.get(0).nonce());
    }

    @Test
    void staleChallengesSayStale() {
        assertThat(auth.challenges(true)).allSatisfy(c -> assertThat(c.stale()).isTrue());
    }

    @Test
    void theRightResponseAuthenticatesWithEitherAlgorithm() {
        String nonce = auth.challenges(false).get(0).nonce();

        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Authenticated("alice"));
        assertThat(auth.verify(credentials(SHA_256, "alice", "s3cret", nonce, "00000002"), "REGISTER"))
                .isEqualTo(new AuthResult.Authenticated("alice"));
    }

    @Test
    void credentialsParsedBeforeAreVerifiedAsTheirText() {
        String nonce = auth.challenges(false).get(0).nonce();
        DigestCredentials parsed = DigestCredentials.parse(credentials(MD5, "alice", "s3cret", nonce, "00000001"));

        assertThat(auth.verify(parsed, "REGISTER")).isEqualTo(new AuthResult.Authenticated("alice"));
        assertThat(auth.verify(parsed, "REGISTER")).as("replayed").isEqualTo(new AuthResult.Stale());
    }

    @Test
    void withoutAnAlgorithmParameterTheAlgorithmIsMd5() {
        String nonce = auth.challenges(false).get(0).nonce();
        String header = credentials(MD5, "alice", "s3cret", nonce, "00000001").replace(", algorithm=MD5", "");

        assertThat(auth.verify(header, "REGISTER")).isEqualTo(new AuthResult.Authenticated("alice"));
    }

    @Test
    void aClientThatOmitsQopIsAcceptedForCompatibility() {
        String nonce = auth.challenges(false).get(0).nonce();
        String ha1 = DigestHashes.ha1(MD5, "alice", REALM, "s3cret");
        String response = DigestHashes.response(MD5, ha1, nonce, null, null, null, "REGISTER", URI);
        String header = "Digest username=\"alice\",realm=\"example.com\",uri=\"sip:example.com\",nonce=\"" + nonce
                + "\",response=\"" + response + "\",algorithm=MD5";

        assertThat(auth.verify(header, "REGISTER")).isEqualTo(new AuthResult.Authenticated("alice"));
    }

    @Test
    void anExpiredNonceWithTheRightResponseIsStale() {
        String nonce = auth.challenges(false).get(0).nonce();
        clock.advance(Duration.ofSeconds(301));

        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Stale());
        assertThat(auth.verify(credentials(MD5, "alice", "wrong", nonce, "00000002"), "REGISTER"))
                .isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void aNonceEvictedFromTheNonceCountTableIsStale() {
        DigestAuthenticator small = authenticator(List.of(MD5), 4);
        String nonce = small.challenges(false).get(0).nonce();
        for (int i = 0; i < 4; i++) {
            small.challenges(false);
        }

        assertThat(small.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Stale());
    }

    @Test
    void theNonceCountMustStrictlyIncrease() {
        String nonce = auth.challenges(false).get(0).nonce();

        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001"), "REGISTER"))
                .isInstanceOf(AuthResult.Authenticated.class);
        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001"), "REGISTER"))
                .as("replayed").isEqualTo(new AuthResult.Stale());
        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", nonce, "0000000a"), "REGISTER"))
                .isInstanceOf(AuthResult.Authenticated.class);
        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", nonce, "00000009"), "REGISTER"))
                .as("lower than the last").isEqualTo(new AuthResult.Stale());
        assertThat(auth.verify(credentials(MD5, "alice", "wrong", nonce, "0000000b"), "REGISTER"))
                .isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void aWrongPasswordIsRejected() {
        String nonce = auth.challenges(false).get(0).nonce();

        assertThat(auth.verify(credentials(SHA_256, "alice", "guess", nonce, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("wrong response for user alice"));
    }

    @Test
    void aWrongPasswordDoesNotUseUpTheNonceCount() {
        String nonce = auth.challenges(false).get(0).nonce();
        auth.verify(credentials(MD5, "alice", "guess", nonce, "00000001"), "REGISTER");

        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001"), "REGISTER"))
                .isInstanceOf(AuthResult.Authenticated.class);
    }

    @Test
    void anUnknownUserIsRejected() {
        String nonce = auth.challenges(false).get(0).nonce();

        assertThat(auth.verify(credentials(MD5, "mallory", "s3cret", nonce, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("unknown user mallory"));
    }

    @Test
    void aNonceThisServerDidNotSignIsRejected() {
        String nonce = auth.challenges(false).get(0).nonce();
        String forged = (nonce.charAt(0) == 'A' ? 'B' : 'A') + nonce.substring(1);
        String otherServersNonce = authenticator(List.of(MD5), 16).challenges(false).get(0).nonce();

        assertThat(auth.verify(credentials(MD5, "alice", "s3cret", forged, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("nonce not issued by this server"));
        assertThat(authenticator(List.of(MD5), 16, "another key")
                .verify(credentials(MD5, "alice", "s3cret", otherServersNonce, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("nonce not issued by this server"));
    }

    @Test
    void anotherRealmOrAnAlgorithmNotOfferedIsRejected() {
        DigestAuthenticator md5Only = authenticator(List.of(MD5), 16);
        String nonce = md5Only.challenges(false).get(0).nonce();

        assertThat(md5Only.verify(credentials(SHA_256, "alice", "s3cret", nonce, "00000001"), "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("unsupported algorithm SHA-256"));
        assertThat(md5Only.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001")
                .replace("realm=\"example.com\"", "realm=\"evil.example\""), "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("wrong realm evil.example"));
        assertThat(md5Only.verify(credentials(MD5, "alice", "s3cret", nonce, "00000001")
                .replace("qop=auth", "qop=auth-int"), "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("unsupported qop auth-int"));
    }

    @Test
    void malformedCredentialsAreRejectedWithTheReason() {
        assertThat(auth.verify("Basic YWxpY2U6czNjcmV0", "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("malformed credentials: not a Digest credential"));
        assertThat(auth.verify("Digest username=\"alice\", realm=\"example.com", "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("malformed credentials: unterminated quoted string"));
        assertThat(auth.verify("Digest username=\"alice\", realm=\"example.com\", nonce=\"x\", uri=\"sip:a\","
                + " response=\"00\", qop=auth, cnonce=\"c\"", "REGISTER"))
                .isEqualTo(new AuthResult.Rejected("malformed credentials: missing nc"));
        assertThat(auth.verify((String) null, "REGISTER")).isInstanceOf(AuthResult.Rejected.class);
    }

    private DigestAuthenticator authenticator(List<DigestAlgorithm> algorithms, int slots) {
        return authenticator(algorithms, slots, "test nonce key");
    }

    private DigestAuthenticator authenticator(List<DigestAlgorithm> algorithms, int slots, String key) {
        return new DigestAuthenticator(algorithms, REALM, Duration.ofSeconds(300),
                key.getBytes(StandardCharsets.UTF_8), clock, name -> Optional.ofNullable(USERS.get(name)), slots);
    }

    /** What a client sends back: qop=auth, unquoted algorithm, qop and nc as SIP clients write them. */
    private static String credentials(DigestAlgorithm algorithm, String username, String password, String nonce,
            String nc) {
        String ha1 = DigestHashes.ha1(algorithm, username, REALM, password);
        String response = DigestHashes.response(algorithm, ha1, nonce, nc, "0a4f113b", "auth", "REGISTER", URI);
        return "Digest username=\"" + username + "\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", uri=\"" + URI
                + "\", response=\"" + response + "\", algorithm=" + algorithm.sipName() + ", qop=auth, nc=" + nc
                + ", cnonce=\"0a4f113b\"";
    }

    private static User user(String name, String password) {
        return new User(name, DigestHashes.ha1(MD5, name, REALM, password), DigestHashes.ha1(SHA_256, name, REALM, password));
    }
}
