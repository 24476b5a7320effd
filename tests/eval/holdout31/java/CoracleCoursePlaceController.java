package org.coraclesociety.courses;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/** Places on weekend coracle-building courses; a place is held for 20 minutes while the deposit is paid. */
@RestController
@RequestMapping("/api/courses/{courseId}/places")
public class CoracleCoursePlaceController {

    private static final Logger log = LoggerFactory.getLogger(CoracleCoursePlaceController.class);
    private static final long HOLD_MINUTES = 20;

    private final JdbcTemplate jdbc;
    private final InstructorNotifier notifier;

    public CoracleCoursePlaceController(JdbcTemplate jdbc, InstructorNotifier notifier) {
        this.jdbc = jdbc;
        this.notifier = notifier;
    }

    public record HoldRequest(long studentId) {}

    @PostMapping("/holds")
    @Transactional
    public ResponseEntity<Map<String, Object>> holdPlace(@PathVariable long courseId,
                                                         @RequestBody HoldRequest req) {
        // Lock the course row so concurrent holds for the same weekend queue up behind us.
        Map<String, Object> course = jdbc.queryForMap("SELECT places_total, instructor_id FROM coracle_courses WHERE id = ? FOR UPDATE", courseId);
        int placesTotal = ((Number) course.get("places_total")).intValue();

        Integer taken = jdbc.queryForObject(
                "SELECT COUNT(*) FROM course_places WHERE course_id = ? "
                        + "AND (status = 'CONFIRMED' OR (status = 'HELD' AND expires_at > now()))",
                Integer.class, courseId);
        if (taken != null && taken >= placesTotal) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "Course is full"));
        }

        Instant expiresAt = Instant.now().plus(HOLD_MINUTES, ChronoUnit.MINUTES);
        Long placeId = jdbc.queryForObject(
                "INSERT INTO course_places (course_id, student_id, status, expires_at) "
                        + "VALUES (?, ?, 'HELD', ?) RETURNING id",
                Long.class, courseId, req.studentId(), Timestamp.from(expiresAt));

        notifier.placeHeldAsync(((Number) course.get("instructor_id")).longValue(), courseId, placeId);

        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("placeId", placeId, "expiresAt", expiresAt.toString()));
    }

    @PostMapping("/{placeId}/confirm")
    @Transactional
    public ResponseEntity<Void> confirm(@PathVariable long courseId, @PathVariable long placeId) {
        int updated = jdbc.update(
                "UPDATE course_places SET status = 'CONFIRMED', expires_at = NULL "
                        + "WHERE id = ? AND course_id = ? AND status = 'HELD' AND expires_at > now()",
                placeId, courseId);
        return updated == 1 ? ResponseEntity.noContent().build() : ResponseEntity.status(HttpStatus.GONE).build();
    }

    /** Lapsed holds are removed so the table only carries live holds and confirmed places. */
    @Scheduled(fixedDelayString = "PT5M")
    public void purgeLapsedHolds() {
        int removed = jdbc.update("DELETE FROM course_places WHERE status = 'HELD' AND expires_at < now() - interval '1 hour'");
        log.debug("Purged {} lapsed coracle course holds", removed);
    }
}

@Component
class InstructorNotifier {

    private static final Logger log = LoggerFactory.getLogger(InstructorNotifier.class);
    private static final int MAX_ATTEMPTS = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Async
    public void placeHeldAsync(long instructorId, long courseId, long placeId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://notify.coraclesociety.org/v1/instructors/" + instructorId))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"course\":" + courseId + ",\"place\":" + placeId + "}"))
                .build();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 300) return;
                log.warn("Instructor notify attempt {} for place {} got HTTP {}", attempt + 1, placeId, status);
            } catch (java.io.IOException e) {
                log.warn("Instructor notify attempt {} for place {} failed", attempt + 1, placeId, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!backOff(attempt)) return;
        }
        log.error("Gave up notifying instructor {} about place {}", instructorId, placeId);
    }

    /** Exponential backoff with full jitter, capped at 8 s. False if the thread was interrupted. */
    private static boolean backOff(int attempt) {
        long ceiling = Math.min(8_000L, 250L * (1L << attempt));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
