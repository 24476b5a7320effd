package health.carebook.appointments;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Data access for appointments. Every clinic is a tenant; all tables except the
 * global reference tables (procedure_codes, specialties) carry clinic_id.
 */
@Repository
public class AppointmentDao {

    private static final DataClassRowMapper<Appointment> APPT = new DataClassRowMapper<>(Appointment.class);

    private final NamedParameterJdbcTemplate jdbc;

    public AppointmentDao(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Appointment> forPractitionerDay(long clinicId, long practitionerId, OffsetDateTime dayStart) {
        return jdbc.query("""
                SELECT a.* FROM appointments a
                WHERE a.clinic_id = :clinicId AND a.practitioner_id = :practitionerId
                  AND a.starts_at >= :dayStart AND a.starts_at < :dayStart + interval '1 day'
                ORDER BY a.starts_at
                """,
                new MapSqlParameterSource("clinicId", clinicId)
                        .addValue("practitionerId", practitionerId)
                        .addValue("dayStart", dayStart), APPT);
    }

    public Optional<Appointment> findForPatient(long clinicId, long appointmentId) {
        return jdbc.query("""
                SELECT a.* FROM appointments a
                JOIN patients p ON p.id = a.patient_id
                WHERE a.id = :id
                """, new MapSqlParameterSource("id", appointmentId), APPT).stream().findFirst();
    }

    /** Books a free slot. The conditional update makes double-booking impossible. */
    @Transactional
    public boolean book(long clinicId, long slotId, long patientId, String procedureCode) {
        int claimed = jdbc.update("""
                UPDATE slots SET status = 'BOOKED', patient_id = :patientId
                WHERE id = :slotId AND clinic_id = :clinicId AND status = 'FREE'
                """, new MapSqlParameterSource("slotId", slotId)
                .addValue("clinicId", clinicId).addValue("patientId", patientId));
        if (claimed == 0) {
            return false;
        }
        jdbc.update("""
                INSERT INTO appointments (clinic_id, slot_id, patient_id, practitioner_id, starts_at, procedure_code)
                SELECT s.clinic_id, s.id, :patientId, s.practitioner_id, s.starts_at, :code
                FROM slots s WHERE s.id = :slotId AND s.clinic_id = :clinicId
                """, new MapSqlParameterSource("slotId", slotId).addValue("clinicId", clinicId)
                .addValue("patientId", patientId).addValue("code", procedureCode));
        return true;
    }

    public int cancel(long clinicId, long appointmentId) {
        return jdbc.update("""
                UPDATE appointments SET status = 'CANCELLED', cancelled_at = now()
                WHERE id = :id AND clinic_id = :clinicId AND status = 'SCHEDULED'
                """, new MapSqlParameterSource("id", appointmentId).addValue("clinicId", clinicId));
    }

    /** Global reference table, no clinic_id column. */
    public Optional<String> procedureLabel(String code) {
        return jdbc.queryForList("SELECT label FROM procedure_codes WHERE code = :code",
                new MapSqlParameterSource("code", code), String.class).stream().findFirst();
    }
}
