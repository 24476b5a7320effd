package org.lifeboatstation.openday.raffle;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.*;

/**
 * Open-day raffle for the lifeboat stations. Visitors reserve ticket numbers on their phone
 * (held for 15 minutes until paid at the stall); the coxswain starts the draw from the admin page.
 * Each station is a tenant (station_id).
 */
@RestController
@RequestMapping("/api/stations/{stationId}/raffles/{raffleId}")
public class OpenDayRaffleController {

    private static final Logger log = LoggerFactory.getLogger(OpenDayRaffleController.class);

    private final JdbcTemplate jdbc;
    private final RaffleDrawWorker drawWorker;

    /** Prize list is identical for every visitor; a few hundred raffles at most across the coast. */
    private final Cache<String, List<Map<String, Object>>> prizes = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    public OpenDayRaffleController(JdbcTemplate jdbc, RaffleDrawWorker drawWorker) {
        this.jdbc = jdbc;
        this.drawWorker = drawWorker;
    }

    @GetMapping("/prizes")
    public List<Map<String, Object>> prizes(@PathVariable long stationId, @PathVariable long raffleId) {
        // Caffeine runs the loader once per key; concurrent misses wait for that one load.
        return prizes.get(stationId + ":" + raffleId, key -> jdbc.queryForList(
                "SELECT place, description, donated_by FROM raffle_prizes " +
                "WHERE raffle_id = ? AND station_id = ? ORDER BY place LIMIT 50", raffleId, stationId));
    }

    @PostMapping("/reservations")
    public ResponseEntity<?> reserve(@PathVariable long stationId, @PathVariable long raffleId,
                                     @RequestParam int ticketNo, @RequestParam String visitorRef) {
        int inserted = jdbc.update(
                "INSERT INTO raffle_reservations (station_id, raffle_id, ticket_no, visitor_ref, expires_at) " +
                "VALUES (?, ?, ?, ?, now() + interval '15 minutes') " +
                "ON CONFLICT (raffle_id, ticket_no) DO NOTHING",
                stationId, raffleId, ticketNo, visitorRef);
        if (inserted == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "Ticket already reserved"));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("ticketNo", ticketNo));
    }

    /** Starting the draw only queues it; the admin page polls the job. */
    @PostMapping("/draw")
    public ResponseEntity<Map<String, Object>> startDraw(@PathVariable long stationId, @PathVariable long raffleId) {
        // UNIQUE (raffle_id): a second click returns the job that is already running.
        List<Long> created = jdbc.queryForList("""
                INSERT INTO raffle_draw_jobs (station_id, raffle_id, status, created_at)
                VALUES (?, ?, 'QUEUED', now())
                ON CONFLICT (raffle_id) DO NOTHING
                RETURNING id
                """, Long.class, stationId, raffleId);

        long jobId;
        if (created.isEmpty()) {
            jobId = jdbc.queryForObject(
                    "SELECT id FROM raffle_draw_jobs WHERE raffle_id = ? AND station_id = ?",
                    Long.class, raffleId, stationId);
        } else {
            jobId = created.get(0);
            drawWorker.runDraw(jobId, stationId, raffleId); // @Async on the bounded "draws" executor
        }
        return ResponseEntity.accepted().body(Map.of("jobId", jobId,
                "statusUrl", "/api/stations/" + stationId + "/raffles/" + raffleId + "/draw/" + jobId));
    }

    @GetMapping("/draw/{jobId}")
    public Map<String, Object> drawStatus(@PathVariable long stationId, @PathVariable long jobId) {
        return jdbc.queryForMap(
                "SELECT id, status, winners_json, error_message FROM raffle_draw_jobs WHERE id = ? AND station_id = ?",
                jobId, stationId);
    }

    /** Unpaid reservations lapse after 15 minutes; clear them out so the table stays small. */
    @Scheduled(fixedDelay = 600_000)
    public void purgeLapsedReservations() {
        int removed = jdbc.update(
                "DELETE FROM raffle_reservations WHERE paid_at IS NULL AND expires_at < now()");
        if (removed > 0) {
            log.info("Removed {} lapsed raffle reservations", removed);
        }
    }
}
