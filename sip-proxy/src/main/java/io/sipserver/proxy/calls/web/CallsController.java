package io.sipserver.proxy.calls.web;

import io.sipserver.proxy.calls.CallRecord;
import io.sipserver.proxy.calls.CallRegistry;
import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.web.RelaySessionView;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Live calls: {@code GET /api/calls} and {@code GET /api/calls/{callId}} (with the call's relay session). */
@RestController
@RequestMapping("/api/calls")
public class CallsController {

    private final CallRegistry calls;
    private final MediaRelay relay;

    public CallsController(CallRegistry calls, MediaRelay relay) {
        this.calls = calls;
        this.relay = relay;
    }

    @GetMapping
    public List<CallView> list() {
        return calls.list().stream()
                .sorted(Comparator.comparing(CallRecord::startedAt))
                .map(c -> CallView.of(c, null))
                .toList();
    }

    @GetMapping("/{callId}")
    public CallView get(@PathVariable String callId) {
        CallRecord call = calls.find(callId).orElseThrow(() -> new NoSuchElementException("no live call " + callId));
        RelaySessionView session = call.relaySessionId() == null ? null
                : relay.find(call.relaySessionId()).map(RelaySessionView::of).orElse(null);
        return CallView.of(call, session);
    }

    /** One live call as the admin API shows it. */
    public record CallView(String callId, String state, String caller, String callee, String callerUser,
            String calleeUser, String fromTag, String toTag, Instant startedAt, Instant answeredAt,
            double bandwidthKbps, String relaySessionId, RelaySessionView relay) {

        static CallView of(CallRecord c, RelaySessionView relay) {
            return new CallView(c.callId(), c.state().name(), c.caller(), c.callee(), c.callerUser(), c.calleeUser(),
                    c.fromTag(), c.toTag(), c.startedAt(), c.answeredAt(), c.bandwidthKbps(), c.relaySessionId(),
                    relay);
        }
    }
}
