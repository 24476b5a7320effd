package org.carecircle.visits;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

// Hospice volunteer visits (multi-hospice SaaS: every tenant table has hospice_id).
// visit_types is a global reference table shared by all hospices (no hospice_id column).
@RestController
@RequestMapping("/hospices/{hospiceId}")
class VisitController {
    private final VolunteerVisitService visits;
    private final VisitHoursReportWorker reports;
    VisitController(VolunteerVisitService visits, VisitHoursReportWorker reports) {
        this.visits = visits; this.reports = reports;
    }

    @PostMapping("/reports/volunteer-hours")
    public ResponseEntity<Map<String, String>> requestHoursReport(@PathVariable long hospiceId, @RequestParam int year) {
        String jobId = visits.createReportJob(hospiceId, year);
        reports.run(jobId, hospiceId, year);
        return ResponseEntity.accepted().body(Map.of("jobId", jobId, "status", "QUEUED"));
    }
}

@Service
class VolunteerVisitService {
    private final JdbcTemplate jdbc;
    private final BackgroundCheckService backgroundChecks;

    VolunteerVisitService(JdbcTemplate jdbc, BackgroundCheckService backgroundChecks) {
        this.jdbc = jdbc;
        this.backgroundChecks = backgroundChecks;
    }

    // called from VolunteerAppController (POST /hospices/{hospiceId}/visits/{visitId}/claim)
    @Transactional
    public void claimVisit(long hospiceId, long visitId, long volunteerId) {
        Map<String, Object> visit = jdbc.queryForMap(
                "SELECT id, status, visit_type_id FROM visits WHERE id = ? AND hospice_id = ? FOR UPDATE",
                visitId, hospiceId);
        if (!"OPEN".equals(visit.get("status"))) {
            throw new VisitAlreadyClaimedException(visitId);
        }
        Boolean needsDbs = jdbc.queryForObject(
                "SELECT requires_enhanced_check FROM visit_types WHERE id = ?",
                Boolean.class, visit.get("visit_type_id"));
        if (Boolean.TRUE.equals(needsDbs)) {
            backgroundChecks.requireEnhanced(hospiceId, volunteerId); // throws if missing or expired
        }
        jdbc.update("UPDATE visits SET status = 'CLAIMED', volunteer_id = ?, claimed_at = now() "
                + "WHERE id = ? AND hospice_id = ?", volunteerId, visitId, hospiceId);
    }

    public String createReportJob(long hospiceId, int year) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO report_jobs (id, hospice_id, kind, status, expires_at) "
                + "VALUES (?, ?, 'VOLUNTEER_HOURS_' || ?, 'QUEUED', now() + interval '7 days')", id, hospiceId, year);
        return id;
    }

    // download links are valid for a week; clear out finished jobs and their files after that
    @Scheduled(cron = "0 15 3 * * *")
    public void purgeExpiredReports() {
        jdbc.update("DELETE FROM report_jobs WHERE expires_at < now()");
    }
}

@Service
class VisitHoursReportWorker {
    private static final int PAGE = 500;
    private final NamedParameterJdbcTemplate named;
    private final ReportStorage storage;
    VisitHoursReportWorker(NamedParameterJdbcTemplate named, ReportStorage storage) {
        this.named = named; this.storage = storage;
    }

    @Async("reportExecutor")
    public void run(String jobId, long hospiceId, int year) {
        setStatus(jobId, hospiceId, "RUNNING");
        try (ReportWriter out = storage.open(jobId)) {
            long afterId = 0;
            while (true) {
                List<Map<String, Object>> volunteers = named.queryForList("""
                        SELECT id, full_name FROM volunteers
                         WHERE hospice_id = :h AND id > :after ORDER BY id LIMIT :page
                        """, new MapSqlParameterSource().addValue("h", hospiceId).addValue("after", afterId).addValue("page", PAGE));
                if (volunteers.isEmpty()) break;
                List<Long> ids = volunteers.stream().map(v -> ((Number) v.get("id")).longValue()).toList();
                List<Map<String, Object>> hours = named.queryForList("""
                        SELECT volunteer_id, SUM(duration_minutes) / 60.0 AS hours, COUNT(*) AS visits
                          FROM visits
                         WHERE hospice_id = :h AND volunteer_id IN (:ids) AND status = 'COMPLETED'
                           AND EXTRACT(YEAR FROM visit_date) = :year
                         GROUP BY volunteer_id
                        """, new MapSqlParameterSource().addValue("h", hospiceId).addValue("ids", ids).addValue("year", year));
                out.writePage(volunteers, hours);
                afterId = ids.get(ids.size() - 1);
            }
            setStatus(jobId, hospiceId, "DONE");
        } catch (Exception e) {
            setStatus(jobId, hospiceId, "FAILED");
            throw new ReportFailedException(jobId, e);
        }
    }

    private void setStatus(String jobId, long hospiceId, String status) {
        named.update("UPDATE report_jobs SET status = :s, updated_at = now() WHERE id = :id AND hospice_id = :h",
                new MapSqlParameterSource().addValue("s", status).addValue("id", jobId).addValue("h", hospiceId));
    }
}
