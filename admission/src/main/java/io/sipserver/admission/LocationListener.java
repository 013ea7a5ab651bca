package io.sipserver.admission;

/** Told about location changes by {@link LocationDirectory}, one change at a time. */
public interface LocationListener {

    /**
     * Called before a change is stored, while no other location change can run; throwing refuses the change.
     *
     * @param current the location as it is; null when it is being created
     * @param replacement the location as it will be; null when it is being deleted
     */
    default void beforeChange(Location current, Location replacement) {
    }

    /**
     * Called once the change is stored and visible, still one change at a time.
     *
     * @param previous the location as it was; null when it was created
     * @param replacement the location as it is now; null when it was deleted
     */
    default void afterChange(Location previous, Location replacement) {
    }
}
