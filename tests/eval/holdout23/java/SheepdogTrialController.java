import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Judges' tablets post run scores (outrun, lift, fetch, drive, pen, shed) here,
 * and the public standings board polls /standings every 15 seconds.
 *
 * Deployed as scoring-api, 3 pods behind the field-site load balancer.
 */
@RestController
@RequestMapping("/api/trials")
public class SheepdogTrialController {

    private static final int MAX_SUBMISSIONS_PER_MINUTE = 30;

    private final NamedParameterJdbcTemplate jdbc;
    private final Map<String, Deque<Instant>> recentSubmissions = new ConcurrentHashMap<>();

    public SheepdogTrialController(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/{trialId}/runs")
    public ResponseEntity<?> submitRun(@PathVariable long trialId, @RequestBody RunScore score,
                                       HttpServletRequest request) {
        if (!allow(clientAddress(request))) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }
        jdbc.update("""
                INSERT INTO trial_runs (trial_id, dog_id, handler_id, judge_id,
                                        outrun, lift, fetch, drive, pen, shed, run_time_s)
                VALUES (:trial, :dog, :handler, :judge, :outrun, :lift, :fetch, :drive, :pen, :shed, :time)
                ON CONFLICT (trial_id, dog_id, judge_id) DO UPDATE
                   SET outrun = EXCLUDED.outrun, lift = EXCLUDED.lift, fetch = EXCLUDED.fetch,
                       drive = EXCLUDED.drive, pen = EXCLUDED.pen, shed = EXCLUDED.shed
                """, new MapSqlParameterSource()
                .addValue("trial", trialId).addValue("dog", score.dogId())
                .addValue("handler", score.handlerId()).addValue("judge", score.judgeId())
                .addValue("outrun", score.outrun()).addValue("lift", score.lift())
                .addValue("fetch", score.fetch()).addValue("drive", score.drive())
                .addValue("pen", score.pen()).addValue("shed", score.shed())
                .addValue("time", score.runTimeSeconds()));
        return ResponseEntity.accepted().build();
    }

    /** Season standings: every handler/dog pair across all trials, with placings. */
    @GetMapping("/standings")
    public List<Map<String, Object>> standings(@RequestParam int season) {
        return jdbc.queryForList("SELECT h.full_name AS handler, d.call_name AS dog, COUNT(DISTINCT r.trial_id) AS trials_run, "
                + "SUM(r.outrun + r.lift + r.fetch + r.drive + r.pen + r.shed) AS points, AVG(r.run_time_s) AS avg_time, "
                + "RANK() OVER (ORDER BY SUM(r.outrun + r.lift + r.fetch + r.drive + r.pen + r.shed) DESC) AS placing "
                + "FROM trial_runs r "
                + "JOIN trials t ON t.id = r.trial_id "
                + "JOIN handlers h ON h.id = r.handler_id "
                + "JOIN dogs d ON d.id = r.dog_id "
                + "WHERE t.season = :season "
                + "GROUP BY h.full_name, d.call_name "
                + "ORDER BY placing LIMIT 50",
                Map.of("season", season));
    }

    private boolean allow(String key) {
        Instant cutoff = Instant.now().minusSeconds(60);
        Deque<Instant> window = recentSubmissions.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst().isBefore(cutoff)) {
                window.pollFirst();
            }
            if (window.size() >= MAX_SUBMISSIONS_PER_MINUTE) {
                return false;
            }
            window.addLast(Instant.now());
            return true;
        }
    }

    private static String clientAddress(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    public record RunScore(long dogId, long handlerId, long judgeId, int outrun, int lift, int fetch,
                           int drive, int pen, int shed, int runTimeSeconds) {}
}
