package org.sheepdogtrials.results;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Results board for sheepdog trials: outrun, lift, fetch, drive, pen and shed points per run.
 * The board is public and identical for every visitor, so it is cached per trial.
 */
@Service
public class SheepdogTrialResultsService {

    public record Run(long runId, long handlerId, String dogName, int points, boolean retired) {}
    public record BoardLine(int place, String handler, String farm, String dogName, int points) {}

    private static final int MAX_RUNS_ON_BOARD = 150;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    // Bounded and time-limited; LoadingCache.get runs one load per key while other callers wait.
    private final LoadingCache<Long, List<BoardLine>> boards = Caffeine.newBuilder()
            .maximumSize(200)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build(this::loadBoard);

    public SheepdogTrialResultsService(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    public List<BoardLine> board(long trialId) {
        return boards.get(trialId);
    }

    /** Called by the scorer's tablet after each run so the board updates straight away. */
    public void runScored(long trialId) {
        boards.invalidate(trialId);
    }

    private List<BoardLine> loadBoard(long trialId) {
        List<Run> runs = jdbc.query(
                "SELECT id, handler_id, dog_name, points, retired FROM trial_runs "
                        + "WHERE trial_id = ? ORDER BY retired, points DESC, run_order LIMIT ?",
                (rs, i) -> new Run(rs.getLong("id"), rs.getLong("handler_id"), rs.getString("dog_name"),
                        rs.getInt("points"), rs.getBoolean("retired")),
                trialId, MAX_RUNS_ON_BOARD);
        if (runs.isEmpty()) {
            return List.of();
        }

        // One query for all handlers on the board rather than one per run.
        Set<Long> handlerIds = runs.stream().map(Run::handlerId).collect(Collectors.toSet());
        Map<Long, Map<String, Object>> handlers = named.queryForList(
                        "SELECT id, display_name, farm FROM handlers WHERE id IN (:ids)",
                        new MapSqlParameterSource("ids", handlerIds))
                .stream()
                .collect(Collectors.toMap(r -> ((Number) r.get("id")).longValue(), Function.identity()));

        int place = 0;
        List<BoardLine> lines = new java.util.ArrayList<>(runs.size());
        for (Run run : runs) {
            Map<String, Object> h = handlers.getOrDefault(run.handlerId(), Map.of());
            lines.add(new BoardLine(
                    run.retired() ? 0 : ++place,
                    (String) h.getOrDefault("display_name", "Unknown handler"),
                    (String) h.getOrDefault("farm", ""),
                    run.dogName(),
                    run.points()));
        }
        return lines;
    }
}
