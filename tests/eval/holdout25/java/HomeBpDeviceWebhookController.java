package health.cuffsync.ingest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

/**
 * Receives readings pushed by the cuff vendor's cloud when a patient takes a
 * home blood-pressure measurement. Each clinic (tenant) has its own patients;
 * the vendor signs every delivery and retries until it gets a 2xx.
 */
@RestController
@RequestMapping("/webhooks/cuff")
public class HomeBpDeviceWebhookController {

    @Value("${cuffsync.db.url}")      private String dbUrl;
    @Value("${cuffsync.db.user}")     private String dbUser;
    @Value("${cuffsync.db.password}") private String dbPassword;

    private final SignatureVerifier signatures;
    private final AlertService alerts;

    public HomeBpDeviceWebhookController(SignatureVerifier signatures, AlertService alerts) {
        this.signatures = signatures;
        this.alerts = alerts;
    }

    public record Reading(String eventId, long clinicId, String deviceSerial,
                          int systolic, int diastolic, int pulse, Instant measuredAt) {}

    @PostMapping("/reading")
    public ResponseEntity<Void> onReading(@RequestHeader("X-Cuff-Signature") String signature,
                                          @RequestBody String rawBody) throws SQLException {
        Reading r = signatures.verifyAndParse(signature, rawBody, Reading.class);

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            Long patientId = null;
            try (PreparedStatement ps = conn.prepareStatement("SELECT patient_id FROM devices "
                    + "WHERE serial = ? AND active = true")) {
                ps.setString(1, r.deviceSerial());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        patientId = rs.getLong(1);
                    }
                }
            }
            if (patientId == null) {
                return ResponseEntity.accepted().build();   // unknown device, nothing to do
            }

            try (PreparedStatement ins = conn.prepareStatement(
                    "INSERT INTO bp_readings (clinic_id, patient_id, systolic, diastolic, pulse, measured_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?)")) {
                ins.setLong(1, r.clinicId());
                ins.setLong(2, patientId);
                ins.setInt(3, r.systolic());
                ins.setInt(4, r.diastolic());
                ins.setInt(5, r.pulse());
                ins.setTimestamp(6, Timestamp.from(r.measuredAt()));
                ins.executeUpdate();
            }

            // Stage 2 hypertension threshold: page the on-call nurse for the clinic.
            if (r.systolic() >= 160 || r.diastolic() >= 100) {
                alerts.notifyOnCallNurse(r.clinicId(), patientId, r.systolic(), r.diastolic());
            }
        }
        return ResponseEntity.ok().build();
    }

    public interface SignatureVerifier {
        <T> T verifyAndParse(String signature, String body, Class<T> type);
    }

    public interface AlertService {
        void notifyOnCallNurse(long clinicId, long patientId, int systolic, int diastolic);
    }
}
