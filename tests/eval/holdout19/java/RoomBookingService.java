package io.deskhive.rooms;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;

/*
 * Schema (V14__room_bookings.sql):
 *   ALTER TABLE room_bookings ADD CONSTRAINT no_double_booking
 *     EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&);
 */
@Service
class RoomBookingService {

    private static final Logger log = LoggerFactory.getLogger(RoomBookingService.class);

    private final JdbcTemplate jdbc;
    private final RestTemplate calendar;
    private final UsageReportWorker reports;

    RoomBookingService(JdbcTemplate jdbc, RestTemplateBuilder builder, UsageReportWorker reports) {
        this.jdbc = jdbc;
        this.reports = reports;
        this.calendar = builder
                .rootUri("https://calendar-bridge.internal")
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(5))
                .build();
    }

    public long book(long workspaceId, long roomId, long memberId, OffsetDateTime start, OffsetDateTime end) {
        // Friendly pre-check for the UI message; the exclusion constraint is what actually prevents overlaps.
        List<Map<String, Object>> clashes = jdbc.queryForList("""
                SELECT b.starts_at, b.ends_at, m.display_name
                FROM room_bookings b JOIN members m ON m.id = b.member_id
                WHERE b.workspace_id = ? AND b.room_id = ?
                  AND tstzrange(b.starts_at, b.ends_at) && tstzrange(?, ?)
                LIMIT 1
                """, workspaceId, roomId, start, end);
        if (!clashes.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Room already booked by " + clashes.get(0).get("display_name"));
        }
        try {
            Long id = jdbc.queryForObject("""
                    INSERT INTO room_bookings (workspace_id, room_id, member_id, starts_at, ends_at)
                    VALUES (?, ?, ?, ?, ?) RETURNING id
                    """, Long.class, workspaceId, roomId, memberId, start, end);
            pushToCalendar(roomId, start, end);
            return id;
        } catch (DataIntegrityViolationException e) {
            // lost the race to another member between the pre-check and the insert
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Room was just booked", e);
        }
    }

    private void pushToCalendar(long roomId, OffsetDateTime start, OffsetDateTime end) {
        try {
            calendar.postForEntity("/rooms/{id}/events", Map.of("start", start, "end", end), Void.class, roomId);
        } catch (RestClientException e) {
            log.error("calendar-bridge sync failed for room {} ({} - {})", roomId, start, end, e);
            throw e;
        }
    }

    public UUID requestUsageReport(long workspaceId, YearMonth month) {
        UUID jobId = UUID.randomUUID();
        jdbc.update("INSERT INTO report_jobs (id, workspace_id, month, status) VALUES (?, ?, ?, 'QUEUED')",
                jobId, workspaceId, month.toString());
        reports.generate(jobId, workspaceId, month);
        return jobId;
    }

    public Map<String, Object> reportStatus(long workspaceId, UUID jobId) {
        return jdbc.queryForMap("SELECT id, status, download_url FROM report_jobs WHERE id = ? AND workspace_id = ?",
                jobId, workspaceId);
    }
}

@Service
class UsageReportWorker {
    private final JdbcTemplate jdbc;
    private final ReportRenderer renderer;

    UsageReportWorker(JdbcTemplate jdbc, ReportRenderer renderer) {
        this.jdbc = jdbc;
        this.renderer = renderer;
    }

    @Async("reportExecutor")
    public void generate(UUID jobId, long workspaceId, YearMonth month) {
        jdbc.update("UPDATE report_jobs SET status = 'RUNNING' WHERE id = ?", jobId);
        try {
            String url = renderer.renderMonthlyUsage(workspaceId, month);
            jdbc.update("UPDATE report_jobs SET status = 'DONE', download_url = ? WHERE id = ?", url, jobId);
        } catch (RuntimeException e) {
            jdbc.update("UPDATE report_jobs SET status = 'FAILED', error = ? WHERE id = ?", e.getMessage(), jobId);
            throw e;
        }
    }
}

@RestController
@RequestMapping("/workspaces/{workspaceId}")
class RoomBookingController {
    private final RoomBookingService service;

    RoomBookingController(RoomBookingService service) { this.service = service; }

    record BookingRequest(long roomId, long memberId, OffsetDateTime start, OffsetDateTime end) {}

    @PostMapping("/bookings")
    ResponseEntity<Map<String, Long>> book(@PathVariable long workspaceId, @RequestBody BookingRequest r) {
        long id = service.book(workspaceId, r.roomId(), r.memberId(), r.start(), r.end());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id));
    }

    @PostMapping("/reports/usage")
    ResponseEntity<Map<String, UUID>> usage(@PathVariable long workspaceId, @RequestParam String month) {
        UUID job = service.requestUsageReport(workspaceId, YearMonth.parse(month));
        return ResponseEntity.accepted().body(Map.of("jobId", job));
    }

    @GetMapping("/reports/{jobId}")
    Map<String, Object> report(@PathVariable long workspaceId, @PathVariable UUID jobId) {
        return service.reportStatus(workspaceId, jobId);
    }
}
