package io.sipserver.proxy.pipeline;

import io.sipserver.config.DigestAlgorithm;
import io.sipserver.registrar.auth.DigestAuthenticator;
import io.sipserver.registrar.auth.DigestHashes;
import java.lang.reflect.Proxy;
import java.util.List;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.message.Response;

/** What the request stages need when tested without a stack or sockets. */
final class StageTestSupport {

    private StageTestSupport() {
    }

    /** A provider that records the responses sent through its server transactions and those sent statelessly. */
    static SipProvider recordingProvider(List<Response> sent) {
        ServerTransaction transaction = (ServerTransaction) Proxy.newProxyInstance(
                StageTestSupport.class.getClassLoader(), new Class<?>[] {ServerTransaction.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendResponse")) {
                        sent.add((Response) args[0]);
                    }
                    return null;
                });
        return (SipProvider) Proxy.newProxyInstance(StageTestSupport.class.getClassLoader(),
                new Class<?>[] {SipProvider.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendResponse")) {
                        sent.add((Response) args[0]);
                    }
                    return method.getName().equals("getNewServerTransaction") ? transaction : null;
                });
    }

    /**
     * An Authorization value (MD5, qop=auth) that {@code authenticator} accepts for {@code user} with
     * {@code password}, on a REGISTER to {@code sip:domain}, as a phone that knows its password sends it.
     */
    static String registerAuthorization(DigestAuthenticator authenticator, String domain, String user,
            String password) {
        String nonce = authenticator.challenges(false).get(0).nonce();
        String uri = "sip:" + domain;
        String response = DigestHashes.response(DigestAlgorithm.MD5,
                DigestHashes.ha1(DigestAlgorithm.MD5, user, domain, password), nonce, "00000001",
                "c0ffee", "auth", "REGISTER", uri);
        return "Digest username=\"" + user + "\", realm=\"" + domain + "\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", response=\"" + response
                + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\"";
    }
}
