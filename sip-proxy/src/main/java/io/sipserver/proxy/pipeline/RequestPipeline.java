package io.sipserver.proxy.pipeline;

import io.sipserver.proxy.sip.SipMessages;
import java.text.ParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered request stages. Whatever a stage throws ends in a response (400 for bad input, 500 otherwise) or a
 * silent drop for ACK, and never escapes into the stack's threads.
 */
public final class RequestPipeline {

    private static final Logger log = LoggerFactory.getLogger(RequestPipeline.class);

    private final List<RequestStage> stages;

    public RequestPipeline(List<RequestStage> stages) {
        this.stages = List.copyOf(stages);
    }

    public void handle(RequestContext ctx) {
        try {
            for (RequestStage stage : stages) {
                if (stage.handle(ctx)) {
                    return;
                }
            }
            ctx.respond(501, "Not Implemented");
        } catch (RequestContext.DuplicateRequest e) {
            log.debug("dropped a retransmitted {}", ctx.method());
        } catch (IllegalArgumentException | ParseException e) {
            log.debug("bad {} from {}: {}", ctx.method(), ctx.sourceHost(), e.getMessage());
            ctx.respond(400, SipMessages.reasonPhrase("Bad Request", e.getMessage()));
        } catch (Exception e) {
            log.warn("{} from {}:{} failed", ctx.method(), ctx.sourceHost(), ctx.sourcePort(), e);
            ctx.respond(500, "Server Internal Error");
        }
    }
}
