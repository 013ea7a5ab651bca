package io.sipserver.registrar;

import io.sipserver.config.RegistrarProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * RFC 3261 section 10.3 steps 6 and 7 applied to one AOR's bindings: a pure function from the current
 * bindings and a checked REGISTER to the new bindings and the changes to persist.
 *
 * <p>Call-ID/CSeq ordering: a binding last written by the same Call-ID with a CSeq not lower than the
 * request's is left as it is (an old or retransmitted REGISTER), and the other contacts of the request still
 * apply. That is Kamailio's answer (200, ignored) rather than the RFC's "abort the whole update".
 *
 * @param bindings the AOR's bindings after the change, live only, by {@link Binding#BY_PREFERENCE}
 * @param changes what to persist, in order; empty when nothing changed
 * @param tooMany set instead when the change would leave the AOR with more than the allowed bindings
 */
record BindingUpdate(List<Binding> bindings, List<BindingChange> changes, RegisterOutcome.TooManyContacts tooMany) {

    private static final float DEFAULT_Q = 1.0f;
    /** Width of {@code sip_binding.user_agent}; a longer User-Agent is informative only, so it is cut. */
    private static final int MAX_USER_AGENT_LENGTH = 256;

    static BindingUpdate of(List<Binding> current, RegisterRequest r, Instant now, RegistrarProperties props) {
        List<BindingChange> changes = new ArrayList<>();
        Map<String, Binding> next = new LinkedHashMap<>();
        for (Binding b : current) {
            if (b.isLiveAt(now)) {
                next.put(ContactUriKey.of(b.contactUri()), b);
            } else {
                changes.add(BindingChange.Remove.of(b));
            }
        }
        int liveBefore = next.size();
        if (r.wildcard()) {
            next.values().removeIf(b -> {
                boolean remove = !isOutOfOrder(b, r);
                if (remove) {
                    changes.add(BindingChange.Remove.of(b));
                }
                return remove;
            });
        } else {
            applyContacts(r, now, props, next, changes);
        }
        if (next.size() > props.maxContacts() && next.size() > liveBefore) {
            return new BindingUpdate(List.of(), List.of(), new RegisterOutcome.TooManyContacts(props.maxContacts()));
        }
        List<Binding> sorted = new ArrayList<>(next.values());
        sorted.sort(Binding.BY_PREFERENCE);
        return new BindingUpdate(List.copyOf(sorted), List.copyOf(changes), null);
    }

    private static void applyContacts(RegisterRequest r, Instant now, RegistrarProperties props,
            Map<String, Binding> next, List<BindingChange> changes) {
        // A contact repeated within one request updates its own binding again, without the CSeq check.
        Set<String> touched = new HashSet<>();
        for (ContactSpec contact : r.contacts()) {
            String key = ContactUriKey.of(contact.uri());
            Binding existing = next.get(key);
            if (existing != null && !touched.contains(key) && isOutOfOrder(existing, r)) {
                continue;
            }
            touched.add(key);
            int expires = Math.min(r.requestedExpires(contact, props.defaultExpires()), props.maxExpires());
            if (expires == 0) {
                if (existing != null) {
                    next.remove(key);
                    changes.add(BindingChange.Remove.of(existing));
                }
                continue;
            }
            if (existing != null && !existing.contactUri().equals(contact.uri())) {
                // Same binding written differently: the row is keyed by the text, so the old row goes.
                changes.add(BindingChange.Remove.of(existing));
            }
            Binding binding = new Binding(r.aor(), contact.uri(), now.plusSeconds(expires),
                    contact.q() == null ? DEFAULT_Q : contact.q(), r.callId(), r.cseq(), r.sourceHost(),
                    r.sourcePort(), r.transport().toUpperCase(Locale.ROOT), userAgent(r), now);
            next.put(key, binding);
            changes.add(new BindingChange.Put(binding));
        }
    }

    private static String userAgent(RegisterRequest r) {
        String ua = r.userAgent();
        return ua == null || ua.length() <= MAX_USER_AGENT_LENGTH ? ua : ua.substring(0, MAX_USER_AGENT_LENGTH);
    }

    private static boolean isOutOfOrder(Binding existing, RegisterRequest r) {
        return existing.callId().equals(r.callId()) && r.cseq() <= existing.cseq();
    }
}
