package port.marine.pilotage;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Assigns licensed pilots to inbound and outbound vessel calls.
 * One deployment serves several harbour authorities, so every query is
 * scoped by harbour_id taken from the caller's token, never from the body.
 */
@Service
public class HarbourPilotAssignmentService {

    private final NamedParameterJdbcTemplate jdbc;

    public HarbourPilotAssignmentService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the pilot for the call. The conditional UPDATE is the guard: two
     * dispatchers picking the same pilot at the same moment cannot both win,
     * because only one UPDATE finds current_call_id still NULL.
     */
    @Transactional
    public void assign(long harbourId, long pilotId, long vesselCallId) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("harbour", harbourId)
                .addValue("pilot", pilotId)
                .addValue("call", vesselCallId);

        int claimed = jdbc.update("""
                UPDATE pilots
                   SET current_call_id = :call, assigned_at = now()
                 WHERE id = :pilot AND harbour_id = :harbour
                   AND on_duty AND current_call_id IS NULL
                """, p);
        if (claimed == 0) {
            throw new PilotUnavailableException(pilotId);
        }

        // unique (vessel_call_id) on pilot_assignments: a call gets exactly one pilot
        int created = jdbc.update("""
                INSERT INTO pilot_assignments (harbour_id, vessel_call_id, pilot_id, assigned_at)
                SELECT :harbour, c.id, :pilot, now()
                  FROM vessel_calls c
                 WHERE c.id = :call AND c.harbour_id = :harbour
                ON CONFLICT (vessel_call_id) DO NOTHING
                """, p);
        if (created == 0) {
            // rolls back the pilot claim above
            throw new CallAlreadyCoveredException(vesselCallId);
        }
    }

    @Transactional
    public void release(long harbourId, long pilotId, long vesselCallId) {
        jdbc.update("""
                UPDATE pilots SET current_call_id = NULL
                 WHERE id = :pilot AND harbour_id = :harbour AND current_call_id = :call
                """, new MapSqlParameterSource()
                .addValue("pilot", pilotId).addValue("harbour", harbourId).addValue("call", vesselCallId));
    }

    /** Dispatch board: next boardings for this harbour, keyset-paginated by time. */
    public List<BoardingRow> upcoming(long harbourId, Instant after, int limit) {
        return jdbc.query("""
                SELECT a.vessel_call_id, c.vessel_name, c.boarding_at, c.berth, p.full_name AS pilot
                  FROM pilot_assignments a
                  JOIN vessel_calls c ON c.id = a.vessel_call_id AND c.harbour_id = a.harbour_id
                  JOIN pilots p ON p.id = a.pilot_id AND p.harbour_id = a.harbour_id
                 WHERE a.harbour_id = :harbour AND c.boarding_at > :after
                 ORDER BY c.boarding_at
                 LIMIT :limit
                """,
                new MapSqlParameterSource()
                        .addValue("harbour", harbourId)
                        .addValue("after", java.sql.Timestamp.from(after))
                        .addValue("limit", Math.min(Math.max(limit, 1), 100)),
                (rs, i) -> new BoardingRow(rs.getLong("vessel_call_id"), rs.getString("vessel_name"),
                        rs.getTimestamp("boarding_at").toInstant(), rs.getString("berth"), rs.getString("pilot")));
    }

    public record BoardingRow(long vesselCallId, String vesselName, Instant boardingAt, String berth, String pilot) {}
}
