package org.wyrleycanaltrust.volunteers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.web.bind.annotation.*;

/**
 * When a canal restoration task is signed off (a lock chamber cleared, a towpath
 * section resurfaced), every volunteer who logged hours on it gets a thank-you
 * certificate PDF with their hours, and the task is marked complete.
 */
@RestController
@RequestMapping("/api/tasks")
public class CanalTaskCompletionController {

    private final JavaMailSender mail;
    private final CertificateRenderer renderer;

    @Value("${volunteers.db.url}")
    private String dbUrl;
    @Value("${volunteers.db.user}")
    private String dbUser;
    @Value("${volunteers.db.password}")
    private String dbPassword;

    public CanalTaskCompletionController(JavaMailSender mail, CertificateRenderer renderer) {
        this.mail = mail;
        this.renderer = renderer;
    }

    record Volunteer(String name, String email, double hours) {}

    @PostMapping("/{taskId}/complete")
    public ResponseEntity<Map<String, Object>> complete(@PathVariable long taskId) throws Exception {
        List<Volunteer> volunteers = new ArrayList<>();
        String taskTitle;

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE restoration_tasks SET status = 'COMPLETE', completed_at = now() WHERE id = ? AND status <> 'COMPLETE' RETURNING title")) {
                ps.setLong(1, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return ResponseEntity.status(409).body(Map.of("error", "Task already completed"));
                    }
                    taskTitle = rs.getString("title");
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT v.name, v.email, SUM(h.hours) AS hours FROM volunteer_hours h "
                            + "JOIN volunteers v ON v.id = h.volunteer_id WHERE h.task_id = ? GROUP BY v.name, v.email")) {
                ps.setLong(1, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        volunteers.add(new Volunteer(rs.getString("name"), rs.getString("email"), rs.getDouble("hours")));
                    }
                }
            }
        }

        // Big tasks (the Summerhill flight of locks) had 300+ volunteers over two years.
        int sent = 0;
        for (Volunteer v : volunteers) {
            byte[] pdf = renderer.renderCertificate(v.name(), taskTitle, v.hours());
            try {
                MimeMessage msg = mail.createMimeMessage();
                MimeMessageHelper helper = new MimeMessageHelper(msg, true);
                helper.setTo(v.email());
                helper.setSubject("Thank you for helping with " + taskTitle);
                helper.setText("Your certificate is attached. See you on the towpath!");
                helper.addAttachment("certificate.pdf", () -> new java.io.ByteArrayInputStream(pdf));
                mail.send(msg);
                sent++;
            } catch (MailException e) {
                // some volunteers gave us addresses that have since lapsed
            }
        }

        return ResponseEntity.ok(Map.of("taskId", taskId, "certificatesSent", sent, "volunteers", volunteers.size()));
    }
}
