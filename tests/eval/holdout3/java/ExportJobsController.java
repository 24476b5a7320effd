package com.fleetdesk.exports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;

import com.fleetdesk.common.OrgContext;
import com.fleetdesk.storage.ObjectStore;

// replicaCount: 4 -- job state is in Postgres (export_jobs), any pod can answer the status poll.
@RestController
@RequestMapping("/api/exports")
class ExportJobsController {

    private final JdbcTemplate jdbc;
    private final TripCsvExporter exporter;

    ExportJobsController(JdbcTemplate jdbc, TripCsvExporter exporter) {
        this.jdbc = jdbc;
        this.exporter = exporter;
    }

    @PostMapping("/trips")
    ResponseEntity<Map<String, Object>> create(@RequestParam LocalDate from, @RequestParam LocalDate to) {
        UUID orgId = OrgContext.currentOrgId();
        UUID jobId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO export_jobs (id, org_id, kind, status, params, created_at, expires_at)
                VALUES (?, ?, 'TRIPS_CSV', 'QUEUED', ?::jsonb, now(), now() + interval '7 days')
                """, jobId, orgId, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
        exporter.run(jobId, orgId, from, to);   // @Async, returns immediately
        return ResponseEntity.accepted().body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/{jobId}")
    ResponseEntity<Map<String, Object>> status(@PathVariable UUID jobId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, status, download_url, error FROM export_jobs WHERE id = ? AND org_id = ?",
                jobId, OrgContext.currentOrgId());
        return rows.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(rows.get(0));
    }
}

@Service
class TripCsvExporter {

    private static final Logger log = LoggerFactory.getLogger(TripCsvExporter.class);
    private static final int BATCH = 5_000;

    private final JdbcTemplate jdbc;
    private final ObjectStore store;

    TripCsvExporter(JdbcTemplate jdbc, ObjectStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    @Async("exportExecutor")
    public void run(UUID jobId, UUID orgId, LocalDate from, LocalDate to) {
        jdbc.update("UPDATE export_jobs SET status = 'RUNNING' WHERE id = ? AND org_id = ?", jobId, orgId);
        try {
            Path tmp = Files.createTempFile("trips-" + jobId, ".csv");
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8))) {
                out.write("trip_id,vehicle,driver,started_at,distance_km\n");
                long lastId = 0;
                while (true) {
                    // keyset pagination, one batch per round trip
                    List<Map<String, Object>> batch = jdbc.queryForList("""
                            SELECT id, vehicle_plate, driver_name, started_at, distance_km
                              FROM trips
                             WHERE org_id = ? AND started_at >= ? AND started_at < ? AND id > ?
                             ORDER BY id
                             LIMIT ?
                            """, orgId, from, to.plusDays(1), lastId, BATCH);
                    if (batch.isEmpty()) break;
                    for (Map<String, Object> r : batch) {
                        out.write(r.get("id") + "," + r.get("vehicle_plate") + "," + r.get("driver_name") + ","
                                + r.get("started_at") + "," + r.get("distance_km") + "\n");
                    }
                    lastId = ((Number) batch.get(batch.size() - 1).get("id")).longValue();
                }
            }
            String url = store.uploadAndSign(tmp, "exports/" + orgId + "/" + jobId + ".csv");
            Files.deleteIfExists(tmp);
            jdbc.update("UPDATE export_jobs SET status = 'DONE', download_url = ? WHERE id = ? AND org_id = ?", url, jobId, orgId);
        } catch (IOException | RuntimeException e) {
            log.error("Export job {} failed", jobId, e);
            jdbc.update("UPDATE export_jobs SET status = 'FAILED', error = ? WHERE id = ? AND org_id = ?", e.getMessage(), jobId, orgId);
        }
    }

    /** Jobs (and their files) are kept for 7 days. */
    @Scheduled(cron = "0 15 * * * *")
    @SchedulerLock(name = "purgeExpiredExports", lockAtMostFor = "PT10M")
    public void purgeExpired() {
        List<String> keys = jdbc.queryForList(
                "DELETE FROM export_jobs WHERE expires_at < now() RETURNING 'exports/' || org_id || '/' || id || '.csv'",
                String.class);
        store.deleteAll(keys); // one multi-object delete request
        log.info("Purged {} expired export jobs", keys.size());
    }
}
