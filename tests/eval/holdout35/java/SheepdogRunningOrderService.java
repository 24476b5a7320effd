package org.sheepdogtrials.entries;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Running orders for sheepdog trials. Each club (tenant) runs its own trials; a trial day
 * has a fixed number of runs and handlers are given the next free slot as they enter.
 *
 * running_order has UNIQUE (trial_day_id, dog_id) and UNIQUE (trial_day_id, slot).
 */
@Service
public class SheepdogRunningOrderService {

    private static final int MAX_PAGE_SIZE = 100;

    private final NamedParameterJdbcTemplate jdbc;

    public SheepdogRunningOrderService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record RunSlot(int slot, long handlerId, long dogId, String dogName) {}

    public sealed interface EntryResult permits Entered, AlreadyEntered, DayFull, UnknownDay {}
    public record Entered(int slot) implements EntryResult {}
    public record AlreadyEntered() implements EntryResult {}
    public record DayFull() implements EntryResult {}
    public record UnknownDay() implements EntryResult {}

    @Transactional
    public EntryResult enter(long clubId, long trialDayId, long handlerId, long dogId) {
        Map<String, Object> p = Map.of("clubId", clubId, "dayId", trialDayId,
                                       "handlerId", handlerId, "dogId", dogId);

        // Lock the trial day row so two handlers entering at once get different slots.
        List<Map<String, Object>> days = jdbc.queryForList(
                "SELECT runs_allocated, max_runs FROM trial_days " +
                "WHERE id = :dayId AND club_id = :clubId FOR UPDATE", p);
        if (days.isEmpty()) {
            return new UnknownDay();
        }
        Map<String, Object> day = days.get(0);

        int allocated = ((Number) day.get("runs_allocated")).intValue();
        int maxRuns = ((Number) day.get("max_runs")).intValue();
        if (allocated >= maxRuns) {
            return new DayFull();
        }

        int slot = allocated + 1;
        int inserted = jdbc.update(
                "INSERT INTO running_order (club_id, trial_day_id, slot, handler_id, dog_id) " +
                "VALUES (:clubId, :dayId, :slot, :handlerId, :dogId) " +
                "ON CONFLICT (trial_day_id, dog_id) DO NOTHING",
                withSlot(p, slot));
        if (inserted == 0) {
            return new AlreadyEntered();
        }

        jdbc.update("UPDATE trial_days SET runs_allocated = :slot WHERE id = :dayId AND club_id = :clubId",
                withSlot(p, slot));
        return new Entered(slot);
    }

    @Transactional(readOnly = true)
    public List<RunSlot> runningOrder(long clubId, long trialDayId, int afterSlot, int pageSize) {
        int limit = Math.min(Math.max(pageSize, 1), MAX_PAGE_SIZE);
        return jdbc.query(
                "SELECT ro.slot, ro.handler_id, ro.dog_id, d.name AS dog_name " +
                "FROM running_order ro JOIN dogs d ON d.id = ro.dog_id AND d.club_id = ro.club_id " +
                "WHERE ro.club_id = :clubId AND ro.trial_day_id = :dayId AND ro.slot > :after " +
                "ORDER BY ro.slot LIMIT :limit",
                Map.of("clubId", clubId, "dayId", trialDayId, "after", afterSlot, "limit", limit),
                RUN_SLOT);
    }

    private static Map<String, Object> withSlot(Map<String, Object> p, int slot) {
        var copy = new java.util.HashMap<>(p);
        copy.put("slot", slot);
        return copy;
    }

    private static final RowMapper<RunSlot> RUN_SLOT = (rs, i) -> new RunSlot(
            rs.getInt("slot"), rs.getLong("handler_id"), rs.getLong("dog_id"), rs.getString("dog_name"));
}
