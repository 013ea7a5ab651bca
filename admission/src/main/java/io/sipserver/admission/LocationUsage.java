package io.sipserver.admission;

/**
 * Live bandwidth of a location.
 *
 * @param name the location
 * @param budgetKbps its budget (the site's link rate, per direction); null = unlimited
 * @param usedKbps charged to live calls
 * @param reservedKbps set aside by the reservations active now (used or not)
 * @param availableKbps what a call whose parties own none of the active reservations could still get; null when
 *     the budget is unlimited
 */
public record LocationUsage(String name, Long budgetKbps, double usedKbps, double reservedKbps, Double availableKbps) {
}
