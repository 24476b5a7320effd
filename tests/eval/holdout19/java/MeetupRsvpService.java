/*
 * Here's the corrected version of your RSVP service. Two problems were fixed:
 *
 * 1. Overbooking: the old code did `if (meetup.getSeatsTaken() < meetup.getCapacity())` and then saved
 *    the entity, so two people could grab the last seat. Now the seat is taken with a single conditional
 *    UPDATE and we check the affected row count. The RSVP row itself is protected by a unique
 *    (meetup_id, member_id) constraint, so double-clicks are harmless.
 *
 * 2. Attendee list: instead of one query per attendee, members are loaded in batches of 200 with IN (...).
 *
 * The language catalogue is tiny and static, so it's loaded once at start-up.
 */
package club.tandemtalk.meetups;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

@Service
public class MeetupRsvpService {

    private static final int BATCH = 200;

    public record Attendee(long memberId, String displayName, String nativeLang, String learningLang) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final Map<String, String> languageNames = new HashMap<>();

    public MeetupRsvpService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostConstruct
    void loadLanguages() {
        jdbc.query("SELECT iso_code, english_name FROM languages", rs -> {
            languageNames.put(rs.getString("iso_code"), rs.getString("english_name"));
        });
    }

    @Transactional
    public void rsvp(long meetupId, long memberId) {
        var p = new MapSqlParameterSource().addValue("meetup", meetupId).addValue("member", memberId);

        int inserted = jdbc.update("""
                INSERT INTO rsvps (meetup_id, member_id) VALUES (:meetup, :member)
                ON CONFLICT (meetup_id, member_id) DO NOTHING
                """, p);
        if (inserted == 0) {
            return; // already going
        }

        int seat = jdbc.update("""
                UPDATE meetups SET seats_taken = seats_taken + 1
                WHERE id = :meetup AND seats_taken < capacity
                """, p);
        if (seat == 0) {
            // throws -> the RSVP insert above is rolled back with the transaction
            throw new ResponseStatusException(HttpStatus.CONFLICT, "This meetup is full");
        }
    }

    public List<Attendee> attendees(long meetupId) {
        List<Long> ids = jdbc.queryForList(
                "SELECT member_id FROM rsvps WHERE meetup_id = :meetup ORDER BY created_at",
                Map.of("meetup", meetupId), Long.class);

        List<Attendee> result = new java.util.ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i += BATCH) {
            List<Long> page = ids.subList(i, Math.min(i + BATCH, ids.size()));
            result.addAll(jdbc.query("""
                    SELECT id AS member_id, display_name, native_lang, learning_lang
                    FROM members WHERE id IN (:ids)
                    """, Map.of("ids", page), new DataClassRowMapper<>(Attendee.class)));
        }
        return result.stream()
                .map(a -> new Attendee(a.memberId(), a.displayName(),
                        languageNames.getOrDefault(a.nativeLang(), a.nativeLang()),
                        languageNames.getOrDefault(a.learningLang(), a.learningLang())))
                .toList();
    }
}
