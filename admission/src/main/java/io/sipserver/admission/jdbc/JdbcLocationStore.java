package io.sipserver.admission.jdbc;

import io.sipserver.admission.Location;
import io.sipserver.admission.LocationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/** Locations in {@code admission_location} and their ranges in {@code admission_location_cidr}. */
public final class JdbcLocationStore implements LocationStore {

    private final JdbcTemplate jdbc;
    private final TransactionOperations transactions;

    public JdbcLocationStore(JdbcTemplate jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public List<Location> loadAll() {
        Map<String, List<String>> cidrs = jdbc.query(
                        "SELECT location_name, cidr FROM admission_location_cidr ORDER BY location_name, seq_no",
                        (rs, row) -> Map.entry(rs.getString("location_name"), rs.getString("cidr")))
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue,
                        Collectors.toList())));
        return jdbc.query("SELECT name, bandwidth_kbps FROM admission_location ORDER BY name",
                (rs, row) -> new Location(rs.getString("name"), cidrs.get(rs.getString("name")),
                        rs.getObject("bandwidth_kbps", Long.class)));
    }

    @Override
    public void save(Location location) {
        transactions.executeWithoutResult(status -> {
            int updated = jdbc.update("UPDATE admission_location SET bandwidth_kbps = ? WHERE name = ?",
                    location.bandwidthKbps(), location.name());
            if (updated == 0) {
                jdbc.update("INSERT INTO admission_location (name, bandwidth_kbps) VALUES (?, ?)",
                        location.name(), location.bandwidthKbps());
            }
            jdbc.update("DELETE FROM admission_location_cidr WHERE location_name = ?", location.name());
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < location.cidrs().size(); i++) {
                rows.add(new Object[] {location.name(), i, location.cidrs().get(i)});
            }
            jdbc.batchUpdate("INSERT INTO admission_location_cidr (location_name, seq_no, cidr) VALUES (?, ?, ?)",
                    rows);
        });
    }

    @Override
    public void delete(String name) {
        jdbc.update("DELETE FROM admission_location WHERE name = ?", name);
    }
}
