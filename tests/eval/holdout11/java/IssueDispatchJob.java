package com.inkwell.dispatch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

@Component
public class IssueDispatchJob {
    private static final Logger LOG = LoggerFactory.getLogger(IssueDispatchJob.class);

    private final JdbcTemplate jdbc;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String espKey;

    public IssueDispatchJob(JdbcTemplate jdbc, EspProperties esp) {
        this.jdbc = jdbc;
        this.espKey = esp.getApiKey();
    }

    @Scheduled(fixedDelay = 30000)
    public void run() {
        List<Map<String, Object>> due = jdbc.queryForList(
            "SELECT id, publication_id, subject, html FROM issues WHERE status = 'SCHEDULED' AND send_at <= now()");
        for (Map<String, Object> issue : due) {
            long issueId = ((Number) issue.get("id")).longValue();
            // claim it so the other instance doesn't send it too
            int claimed = jdbc.update("UPDATE issues SET status = 'SENDING' WHERE id = ? AND status = 'SCHEDULED'", issueId);
            if (claimed == 0) continue;
            dispatch(issueId, ((Number) issue.get("publication_id")).longValue(),
                     (String) issue.get("subject"), (String) issue.get("html"));
            jdbc.update("UPDATE issues SET status = 'SENT', sent_at = now() WHERE id = ?", issueId);
        }
    }

    private void dispatch(long issueId, long pubId, String subject, String html) {
        long lastId = 0;
        while (true) {
            List<Map<String, Object>> subs = jdbc.queryForList(
                "SELECT id, email FROM subscribers WHERE publication_id = ? AND status = 'ACTIVE' AND id > ? ORDER BY id LIMIT 1000",
                pubId, lastId);
            if (subs.isEmpty()) break;
            for (Map<String, Object> s : subs) {
                long subId = ((Number) s.get("id")).longValue();
                Map<String, Object> prefs = jdbc.queryForMap(
                    "SELECT format, first_name FROM subscriber_prefs WHERE subscriber_id = ?", subId);
                String body = "text".equals(prefs.get("format")) ? Html.toText(html) : html;
                body = body.replace("{{first_name}}", String.valueOf(prefs.getOrDefault("first_name", "there")));
                send((String) s.get("email"), subject, body, issueId + "-" + subId);
                lastId = subId;
            }
        }
    }

    private void send(String to, String subject, String body, String messageId) {
        String json = Json.of("to", to, "subject", subject, "html", body, "message_id", messageId);
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create("https://api.mailrelay.example/v3/send"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + espKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() < 300) return;
                LOG.warn("ESP returned {} for {} (attempt {})", res.statusCode(), to, attempt);
            } catch (Exception e) {
                LOG.warn("ESP send failed for {} (attempt {}): {}", to, attempt, e.toString());
            }
            try { Thread.sleep(2000); } catch (InterruptedException ie) { Thread.currentThread().interrupt(); return; }
        }
    }
}
