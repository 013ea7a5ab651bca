package io.sipserver.relay.web;

import io.sipserver.relay.MediaRelay;
import io.sipserver.relay.RelayPortsExhaustedException;
import io.sipserver.relay.RelaySession;
import io.sipserver.relay.RelayStream;
import io.sipserver.relay.Side;
import io.sipserver.relay.SocketAddresses;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Relay sessions over REST, so the relay can also be driven without SIP (as rtpengine is by other proxies, and
 * by the benchmarks): create a session and get its ports, list sessions with their statistics, release one.
 */
@RestController
@RequestMapping("/api/relay/sessions")
public class RelaySessionController {

    private final MediaRelay relay;

    public RelaySessionController(MediaRelay relay) {
        this.relay = relay;
    }

    /** Creates a session with one stream; 503 when the relay has no ports left. */
    @PostMapping
    public ResponseEntity<CreatedRelaySession> create(@RequestBody CreateRelaySessionRequest request) {
        if (request.callId() == null || request.callId().isBlank()) {
            throw problem(HttpStatus.BAD_REQUEST, "callId is required", null);
        }
        InetSocketAddress aPeer = peer("aPeer", request.aPeer());
        InetSocketAddress bPeer = peer("bPeer", request.bPeer());
        RelaySession session;
        try {
            session = relay.create(request.callId());
        } catch (RelayPortsExhaustedException e) {
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), e);
        }
        RelayStream stream = session.streams().get(0);
        if (aPeer != null) {
            stream.setPeer(Side.A, aPeer, null);
        }
        if (bPeer != null) {
            stream.setPeer(Side.B, bPeer, null);
        }
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(session.id()).toUri();
        return ResponseEntity.created(location).body(CreatedRelaySession.of(session, relay.advertisedAddress()));
    }

    @GetMapping
    public List<RelaySessionView> list() {
        return relay.sessions().stream()
                .sorted(Comparator.comparing(RelaySession::createdAt))
                .map(RelaySessionView::of)
                .toList();
    }

    @GetMapping("/{id}")
    public RelaySessionView get(@PathVariable String id) {
        return relay.find(id).map(RelaySessionView::of).orElseThrow(() -> unknown(id));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        if (!relay.release(id)) {
            throw unknown(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static InetSocketAddress peer(String field, String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            return null;
        }
        try {
            return SocketAddresses.parseHostPort(hostPort);
        } catch (IllegalArgumentException e) {
            throw problem(HttpStatus.BAD_REQUEST, field + ": " + e.getMessage(), e);
        }
    }

    private static ErrorResponseException unknown(String id) {
        return problem(HttpStatus.NOT_FOUND, "no relay session " + id, null);
    }

    private static ErrorResponseException problem(HttpStatus status, String detail, Throwable cause) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), cause);
    }
}
