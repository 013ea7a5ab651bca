package io.sipserver.admission.jdbc;

import io.sipserver.admission.Reservation;
import io.sipserver.admission.ReservationStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reservations in {@code admission_reservation}. */
public final class JdbcReservationStore implements ReservationStore {

    private final JdbcTemplate jdbc;

    public JdbcReservationStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Reservation> loadAll() {
        return jdbc.query("SELECT id, location_name, bandwidth_kbps, owner_name, start_at, end_at "
                        + "FROM admission_reservation ORDER BY start_at, id",
                (rs, row) -> new Reservation(rs.getString("id"), rs.getString("location_name"),
                        rs.getDouble("bandwidth_kbps"), rs.getString("owner_name"),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("end_at", OffsetDateTime.class).toInstant()));
    }

    @Override
    public void insert(Reservation reservation) {
        jdbc.update("INSERT INTO admission_reservation "
                        + "(id, location_name, bandwidth_kbps, owner_name, start_at, end_at) VALUES (?, ?, ?, ?, ?, ?)",
                reservation.id(), reservation.location(), reservation.bandwidthKbps(), reservation.owner(),
                utc(reservation.start()), utc(reservation.end()));
    }

    @Override
    public void delete(String id) {
        jdbc.update("DELETE FROM admission_reservation WHERE id = ?", id);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
