package io.sipserver.proxy.pipeline;

/**
 * One step of the request path (Kamailio's route blocks): it answers, forwards or drops the request and returns
 * true, or returns false to pass it to the next stage.
 */
@FunctionalInterface
public interface RequestStage {
    boolean handle(RequestContext ctx) throws Exception;
}
