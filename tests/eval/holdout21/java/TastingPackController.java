package events.vowhall.tastings.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import events.vowhall.tastings.pack.TastingPackRenderer;
import events.vowhall.tastings.security.VenueStaff;

/**
 * After a wedding tasting the venue coordinator generates a "tasting pack": menu cards,
 * the couple's notes and wine pairings as a PDF. Rendering takes 30-90 s, so the request
 * only queues a job; a worker on any instance picks it up and the UI polls the job.
 */
@RestController
@RequestMapping("/api/tastings")
public class TastingPackController {

    private static final Logger log = LoggerFactory.getLogger(TastingPackController.class);

    private final JdbcTemplate jdbc;
    private final TastingPackRenderer renderer;

    public TastingPackController(JdbcTemplate jdbc, TastingPackRenderer renderer) {
        this.jdbc = jdbc;
        this.renderer = renderer;
    }

    @PostMapping("/{tastingId}/pack")
    public ResponseEntity<Map<String, Object>> requestPack(@AuthenticationPrincipal VenueStaff staff,
                                                           @PathVariable long tastingId) {
        UUID jobId = UUID.randomUUID();
        int queued = jdbc.update(
                "INSERT INTO pack_jobs (id, venue_id, tasting_id, status, created_at) "
                        + "SELECT ?, t.venue_id, t.id, 'QUEUED', now() FROM tastings t WHERE t.id = ? AND t.venue_id = ?",
                jobId, tastingId, staff.venueId());
        if (queued == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "tasting not found");
        }
        return ResponseEntity.accepted()
                .location(URI.create("/api/tastings/pack-jobs/" + jobId))
                .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/pack-jobs/{jobId}")
    public Map<String, Object> jobStatus(@AuthenticationPrincipal VenueStaff staff, @PathVariable UUID jobId) {
        try {
            return jdbc.queryForMap(
                    "SELECT id, status, download_url, error_message FROM pack_jobs WHERE id = ? AND venue_id = ?",
                    jobId, staff.venueId());
        } catch (EmptyResultDataAccessException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such job");
        }
    }

    /**
     * Worker: claims the oldest queued job in one statement. SKIP LOCKED lets every
     * instance poll without two of them taking the same job; rendering happens
     * outside any transaction.
     */
    @Scheduled(fixedDelay = 2_000)
    public void renderNextPack() {
        List<Map<String, Object>> claimed = jdbc.queryForList(
                "UPDATE pack_jobs SET status = 'RUNNING', started_at = now() WHERE id = ("
                        + "SELECT id FROM pack_jobs WHERE status = 'QUEUED' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING id, venue_id, tasting_id");
        if (claimed.isEmpty()) {
            return;
        }
        Map<String, Object> job = claimed.get(0);
        UUID id = (UUID) job.get("id");
        try {
            String url = renderer.render((Long) job.get("venue_id"), (Long) job.get("tasting_id"));
            jdbc.update("UPDATE pack_jobs SET status = 'DONE', download_url = ?, finished_at = now() WHERE id = ?",
                    url, id);
        } catch (RuntimeException e) {
            log.error("tasting pack job {} failed", id, e);
            jdbc.update("UPDATE pack_jobs SET status = 'FAILED', error_message = ?, finished_at = now() WHERE id = ?",
                    e.getMessage(), id);
        }
    }
}
