package io.sipserver.proxy.calls;

/** Where a call stands, as the proxy sees it. */
public enum CallState {
    /** INVITE forwarded, no provisional answer yet. */
    TRYING,
    /** A provisional response (ringing, progress) came back. */
    EARLY,
    /** A 2xx came back: the dialog is established. */
    CONFIRMED
}
