package health.carepoint.scheduling;

import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds an appointment slot for a patient while they fill in the intake form,
 * then converts the hold into a booking.
 *
 * Deployment: scheduling-api, 3 replicas behind the clinic gateway (see helm/values-prod.yaml).
 */
@Service
public class AppointmentHoldService {

    private static final Duration HOLD_TTL = Duration.ofMinutes(10);

    /** One monitor per slot so two patients can't grab the same slot at once. */
    private final Map<Long, Object> slotMonitors = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    public AppointmentHoldService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public UUID holdSlot(long slotId, long patientId) {
        Object monitor = slotMonitors.computeIfAbsent(slotId, id -> new Object());
        synchronized (monitor) {
            Integer taken = jdbc.queryForObject(
                    "SELECT (SELECT COUNT(*) FROM appointment_holds WHERE slot_id = ? AND hold_until > now()" +
                    " AND converted_at IS NULL) + (SELECT COUNT(*) FROM appointments WHERE slot_id = ? AND status <> 'CANCELLED')",
                    Integer.class, slotId, slotId);
            if (taken != null && taken > 0) {
                throw new SlotUnavailableException(slotId);
            }

            UUID holdId = UUID.randomUUID();
            jdbc.update(
                    "INSERT INTO appointment_holds (id, slot_id, patient_id, hold_until) VALUES (?, ?, ?, ?)",
                    holdId, slotId, patientId, Timestamp.from(Instant.now().plus(HOLD_TTL)));
            return holdId;
        }
    }

    @Transactional
    public long confirm(UUID holdId, long patientId) {
        Map<String, Object> hold;
        try {
            hold = jdbc.queryForMap(
                    "SELECT slot_id, patient_id FROM appointment_holds WHERE id = ? AND hold_until > now()",
                    holdId);
        } catch (EmptyResultDataAccessException e) {
            throw new HoldExpiredException(holdId);
        }
        if (((Number) hold.get("patient_id")).longValue() != patientId) {
            throw new HoldExpiredException(holdId);
        }
        long slotId = ((Number) hold.get("slot_id")).longValue();

        // appointments has a partial unique index on (slot_id) WHERE status <> 'CANCELLED',
        // so a double-submitted confirm fails with DuplicateKeyException instead of double-booking
        Long appointmentId = jdbc.queryForObject(
                "INSERT INTO appointments (slot_id, patient_id, status) VALUES (?, ?, 'BOOKED') RETURNING id",
                Long.class, slotId, patientId);
        jdbc.update("UPDATE appointment_holds SET converted_at = now() WHERE id = ?", holdId);
        return appointmentId;
    }

    public static class SlotUnavailableException extends RuntimeException {
        public SlotUnavailableException(long slotId) { super("slot " + slotId + " is no longer available"); }
    }

    public static class HoldExpiredException extends RuntimeException {
        public HoldExpiredException(UUID holdId) { super("hold " + holdId + " expired"); }
    }
}
