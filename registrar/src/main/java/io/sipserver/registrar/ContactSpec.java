package io.sipserver.registrar;

/**
 * One Contact of a REGISTER, as parsed by the proxy.
 *
 * @param uri the Contact URI (without angle brackets and header parameters)
 * @param expires the contact's {@code expires} parameter, or null when absent
 * @param q the contact's {@code q} parameter, or null when absent (then 1.0)
 */
public record ContactSpec(String uri, Integer expires, Float q) {
}
