package org.canaltrust.volunteers.rota;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Lock-keeper volunteer rota: SMS reminders the day before a shift, and CSV exports of the
 * season rota for each lock flight. The volunteers API runs as 3 replicas behind the
 * trust's ingress; reminders are guarded by ShedLock so only one replica sends them.
 */
@Service
public class LockKeeperRotaService {

    private static final Logger log = LoggerFactory.getLogger(LockKeeperRotaService.class);

    public enum ExportState { RUNNING, DONE, FAILED }
    public record ExportStatus(ExportState state, String downloadPath) {}
    private final Map<String, ExportStatus> exportJobs = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final RotaCsvWriter csvWriter;
    private final Executor exportExecutor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI smsGateway = URI.create("https://sms.canaltrust.org.uk/v1/batches");

    public LockKeeperRotaService(JdbcTemplate jdbc, RotaCsvWriter csvWriter,
                                 @Qualifier("rotaExportExecutor") Executor exportExecutor) {
        this.jdbc = jdbc;
        this.csvWriter = csvWriter;
        this.exportExecutor = exportExecutor;
    }

    // ---- exports: controller returns 202 with the id, then polls exportStatus(id) ----

    public String startExport(long flightId, int season) {
        String exportId = UUID.randomUUID().toString();
        exportJobs.put(exportId, new ExportStatus(ExportState.RUNNING, null));
        exportExecutor.execute(() -> writeExport(exportId, flightId, season));
        return exportId;
    }

    public ExportStatus exportStatus(String exportId) {
        return exportJobs.get(exportId);
    }

    public void forgetExport(String exportId) {
        exportJobs.remove(exportId);
    }

    private void writeExport(String exportId, long flightId, int season) {
        List<Map<String, Object>> shifts = jdbc.queryForList(
                "SELECT s.shift_date, s.lock_name, v.display_name, s.start_time, s.end_time "
                        + "FROM lock_shifts s JOIN volunteers v ON v.id = s.volunteer_id "
                        + "WHERE s.flight_id = ? AND s.season = ? ORDER BY s.shift_date, s.start_time",
                flightId, season);
        try {
            Path out = Files.createTempFile("rota-" + flightId + "-" + season, ".csv");
            csvWriter.write(out, shifts);
            exportJobs.put(exportId, new ExportStatus(ExportState.DONE, out.toString()));
        } catch (IOException ioe) {
            exportJobs.put(exportId, new ExportStatus(ExportState.DONE, null));
        }
    }

    @Scheduled(cron = "0 0 17 * * *", zone = "Europe/London")
    @SchedulerLock(name = "lockKeeperReminders", lockAtMostFor = "PT20M")
    public void sendTomorrowReminders() {
        LocalDate tomorrow = LocalDate.now().plusDays(1);
        List<Map<String, Object>> due = jdbc.queryForList(
                "SELECT s.id, s.lock_name, s.start_time, v.mobile FROM lock_shifts s JOIN volunteers v "
                        + "ON v.id = s.volunteer_id WHERE s.shift_date = ? AND s.reminder_sent_at IS NULL LIMIT 500",
                tomorrow);
        if (due.isEmpty()) return;
        String messages = due.stream()
                .map(r -> String.format("{\"to\":\"%s\",\"text\":\"Reminder: your lock-keeping shift at %s starts %s tomorrow.\"}",
                        r.get("mobile"), r.get("lock_name"), r.get("start_time")))
                .collect(Collectors.joining(",", "{\"messages\":[", "]}"));

        if (sendBatch(messages)) {
            jdbc.batchUpdate("UPDATE lock_shifts SET reminder_sent_at = now() WHERE id = ?",
                    due.stream().map(r -> new Object[] {r.get("id")}).toList());
        }
    }

    private boolean sendBatch(String body) {
        HttpRequest request = HttpRequest.newBuilder(smsGateway)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                HttpResponse<Void> resp = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() < 300) {
                    return true;
                }
                log.warn("SMS gateway returned {} (attempt {})", resp.statusCode(), attempt);
            } catch (IOException e) {
                log.warn("SMS gateway unreachable (attempt {})", attempt, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
