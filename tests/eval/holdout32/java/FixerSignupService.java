package org.repaircafe.rota.service;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fixer sign-ups for repair café sessions.
 *
 * Each session has a fixed number of fixer benches (cafe_sessions.fixer_places).
 * fixer_signups has UNIQUE (session_id, fixer_id), so a fixer can hold at most
 * one bench per session.
 */
@Service
public class FixerSignupService {

    public enum SignupResult { CONFIRMED, ALREADY_SIGNED_UP }

    public static class SessionFullException extends RuntimeException {
        public SessionFullException(long sessionId) {
            super("All fixer benches are taken for session " + sessionId);
        }
    }

    public record Signup(long fixerId, String fixerName, String skill) {}

    private final JdbcTemplate jdbc;

    public FixerSignupService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims a bench for the fixer. Both statements run in one transaction: if the
     * session is full the exception rolls the sign-up row back.
     */
    @Transactional
    public SignupResult signUp(long sessionId, long fixerId, String skill) {
        int inserted = jdbc.update("""
                INSERT INTO fixer_signups (session_id, fixer_id, skill, created_at)
                VALUES (?, ?, ?, now())
                ON CONFLICT (session_id, fixer_id) DO NOTHING
                """, sessionId, fixerId, skill);
        if (inserted == 0) {
            return SignupResult.ALREADY_SIGNED_UP;
        }

        int claimed = jdbc.update("""
                UPDATE cafe_sessions
                   SET fixer_places_taken = fixer_places_taken + 1
                 WHERE id = ? AND fixer_places_taken < fixer_places
                """, sessionId);
        if (claimed == 0) {
            throw new SessionFullException(sessionId);
        }
        return SignupResult.CONFIRMED;
    }

    @Transactional
    public boolean withdraw(long sessionId, long fixerId) {
        int removed = jdbc.update(
                "DELETE FROM fixer_signups WHERE session_id = ? AND fixer_id = ?", sessionId, fixerId);
        if (removed == 0) {
            return false;
        }
        jdbc.update("""
                UPDATE cafe_sessions
                   SET fixer_places_taken = fixer_places_taken - 1
                 WHERE id = ? AND fixer_places_taken > 0
                """, sessionId);
        return true;
    }

    /** Organiser view of who is fixing what; a session has at most a few dozen benches. */
    @Transactional(readOnly = true)
    public List<Signup> signupsFor(long sessionId, int page, int pageSize) {
        int size = Math.min(Math.max(pageSize, 1), 50);
        return jdbc.query("""
                SELECT s.fixer_id, f.display_name, s.skill
                  FROM fixer_signups s
                  JOIN fixers f ON f.id = s.fixer_id
                 WHERE s.session_id = ?
                 ORDER BY s.created_at, s.fixer_id
                 LIMIT ? OFFSET ?
                """,
                (rs, i) -> new Signup(rs.getLong(1), rs.getString(2), rs.getString(3)),
                sessionId, size, Math.max(page, 0) * size);
    }
}
