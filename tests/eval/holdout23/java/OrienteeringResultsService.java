package club.orienteering.results;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;

/**
 * Race results for the regional orienteering league.
 * The results site runs as 3 replicas behind the ingress; Redis is shared.
 */
@Service
public class OrienteeringResultsService {

    private static final Duration LEADERBOARD_TTL = Duration.ofMinutes(2);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final SplitsExporter exporter;
    private final TaskExecutor exportExecutor;

    // export id -> progress, polled by GET /exports/{id}
    private final Map<String, ExportStatus> exportJobs = new ConcurrentHashMap<>();

    public OrienteeringResultsService(JdbcTemplate jdbc, StringRedisTemplate redis,
                                      ObjectMapper json, SplitsExporter exporter,
                                      TaskExecutor exportExecutor) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.json = json;
        this.exporter = exporter;
        this.exportExecutor = exportExecutor;
    }

    /** Season league table: best 6 scores per runner, per age class. */
    public List<LeagueRow> seasonLeaderboard(int season) throws JsonProcessingException {
        String key = "league:" + season;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<>() {});
        }
        List<LeagueRow> rows = jdbc.query("""
                SELECT runner_id, age_class, SUM(points) AS total
                FROM (
                    SELECT r.runner_id, r.age_class, r.points,
                           ROW_NUMBER() OVER (PARTITION BY r.runner_id ORDER BY r.points DESC) AS rn
                    FROM race_results r JOIN races e ON e.id = r.race_id
                    WHERE e.season = ? AND r.status = 'OK'
                ) best WHERE rn <= 6
                GROUP BY runner_id, age_class
                ORDER BY age_class, total DESC
                """,
                (rs, i) -> new LeagueRow(rs.getLong("runner_id"), rs.getString("age_class"), rs.getInt("total")),
                season);
        redis.opsForValue().set(key, json.writeValueAsString(rows), LEADERBOARD_TTL);
        return rows;
    }

    /** Finish list for a single race, with runner names and clubs. */
    public List<FinishLine> raceResults(long raceId) {
        List<Map<String, Object>> results = jdbc.queryForList(
                "SELECT runner_id, course, elapsed_s, status FROM race_results "
                        + "WHERE race_id = ? ORDER BY course, elapsed_s LIMIT 1000", raceId);
        List<FinishLine> out = new ArrayList<>(results.size());
        for (Map<String, Object> row : results) {
            Map<String, Object> runner = jdbc.queryForMap("SELECT full_name, club_code FROM runners WHERE id = ?",
                    row.get("runner_id"));
            out.add(new FinishLine((String) runner.get("full_name"), (String) runner.get("club_code"),
                    (String) row.get("course"), (Integer) row.get("elapsed_s"), (String) row.get("status")));
        }
        return out;
    }

    public String startSplitsExport(long raceId) {
        String id = UUID.randomUUID().toString();
        exportJobs.put(id, ExportStatus.queued());
        exportExecutor.execute(() -> runExport(id, raceId));
        return id;
    }

    private void runExport(String id, long raceId) {
        exportJobs.put(id, ExportStatus.running());
        try {
            String url = exporter.writeSplitsCsv(raceId);
            exportJobs.put(id, ExportStatus.done(url));
        } catch (RuntimeException e) {
            exportJobs.put(id, ExportStatus.failed(e.getMessage()));
            throw e;
        }
    }

    public ExportStatus exportStatus(String id) {
        return exportJobs.getOrDefault(id, ExportStatus.unknown());
    }

    public record LeagueRow(long runnerId, String ageClass, int total) {}

    public record FinishLine(String name, String club, String course, Integer elapsedSeconds, String status) {}
}
