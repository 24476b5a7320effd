package org.villagebus.roster.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.ResponseEntity;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import org.villagebus.roster.pdf.RosterPdfRenderer;
import org.villagebus.roster.planning.RosterPlanner;
import org.villagebus.roster.planning.Shift;

// Community minibus: the transport coordinator presses "Publish" once the month's
// rota is agreed; each of the ~70 volunteer drivers gets their personal rota as a PDF.
// roster-api runs as two instances behind the council's load balancer.
@RestController
public class RosterPublishController {

    private final RosterPlanner planner;
    private final RosterPdfRenderer pdf;
    private final JavaMailSender mail;

    // Months currently being published, so a double-click doesn't email everyone twice.
    private final Set<YearMonth> publishing = ConcurrentHashMap.newKeySet();

    @Value("${roster.db.url}")
    private String dbUrl;
    @Value("${roster.db.user}")
    private String dbUser;
    @Value("${roster.db.password}")
    private String dbPassword;

    public RosterPublishController(RosterPlanner planner, RosterPdfRenderer pdf, JavaMailSender mail) {
        this.planner = planner;
        this.pdf = pdf;
        this.mail = mail;
    }

    record Driver(long id, String name, String email) {}

    @PostMapping("/api/rosters/{month}/publish")
    public ResponseEntity<Map<String, Object>> publish(@PathVariable String month) throws Exception {
        YearMonth ym = YearMonth.parse(month);
        if (!publishing.add(ym)) {
            return ResponseEntity.status(409).body(Map.of("error", "Already publishing " + ym));
        }

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            List<Driver> drivers = activeDrivers(conn);

            // Assign the agreed runs to drivers (MiDAS-certified drivers only on wheelchair runs).
            List<Shift> shifts = planner.solve(ym, drivers.stream().map(Driver::id).toList());

            int sent = 0;
            for (Driver driver : drivers) {
                List<Shift> mine = shifts.stream().filter(s -> s.driverId() == driver.id()).toList();
                byte[] rota = pdf.render(ym, driver.name(), mine);

                MimeMessage message = mail.createMimeMessage();
                MimeMessageHelper helper = new MimeMessageHelper(message, true);
                helper.setTo(driver.email());
                helper.setSubject("Your minibus rota for " + ym);
                helper.setText("Hello " + driver.name() + ",\n\nYour rota for " + ym + " is attached.");
                helper.addAttachment("rota-" + ym + ".pdf", new ByteArrayResource(rota));
                mail.send(message);
                sent++;
            }
            saveShifts(conn, ym, shifts);
            markPublished(conn, ym);
            return ResponseEntity.ok(Map.of("month", ym.toString(), "driversNotified", sent));
        } finally {
            publishing.remove(ym);
        }
    }

    private List<Driver> activeDrivers(Connection conn) throws SQLException {
        List<Driver> drivers = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT id, full_name, email FROM drivers WHERE active = true ORDER BY full_name LIMIT 200");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                drivers.add(new Driver(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return drivers;
    }

    private void saveShifts(Connection conn, YearMonth ym, List<Shift> shifts) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO rota_shifts (month, driver_id, starts_at, run_code) VALUES (?, ?, ?, ?)")) {
            for (Shift s : shifts) {
                ps.setString(1, ym.toString());
                ps.setLong(2, s.driverId());
                ps.setObject(3, s.startsAt());
                ps.setString(4, s.runCode());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void markPublished(Connection conn, YearMonth ym) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "UPDATE rota_months SET published_at = now() WHERE month = ?")) {
            ps.setString(1, ym.toString());
            ps.executeUpdate();
        }
    }
}
