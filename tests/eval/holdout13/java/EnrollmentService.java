package edu.northfield.registrar.enrollment;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seat allocation for course sections during registration week.
 *
 * Invariants are enforced by the database, not by reads in this class:
 *   - course_sections.seats_taken is only ever changed with a conditional UPDATE
 *   - enrollments has UNIQUE (student_id, section_id)
 *   - waitlist has UNIQUE (student_id, section_id)
 */
@Service
public class EnrollmentService {

    private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

    private final JdbcTemplate jdbc;

    public EnrollmentService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public EnrollmentResult enroll(long studentId, long sectionId) {
        int seat = jdbc.update("""
                UPDATE course_sections
                   SET seats_taken = seats_taken + 1
                 WHERE id = ? AND registration_open AND seats_taken < capacity
                """, sectionId);

        if (seat == 0) {
            jdbc.update("""
                    INSERT INTO waitlist (student_id, section_id, joined_at)
                    VALUES (?, ?, now())
                    ON CONFLICT (student_id, section_id) DO NOTHING
                    """, studentId, sectionId);
            return EnrollmentResult.WAITLISTED;
        }

        try {
            jdbc.update("INSERT INTO enrollments (student_id, section_id, enrolled_at) VALUES (?, ?, now())",
                    studentId, sectionId);
        } catch (DuplicateKeyException e) {
            // Double click / second tab. Throwing rolls back the seat increment above.
            log.info("student {} already enrolled in section {}", studentId, sectionId);
            throw new AlreadyEnrolledException(studentId, sectionId, e);
        }
        return EnrollmentResult.ENROLLED;
    }

    @Transactional
    public void drop(long studentId, long sectionId) {
        int removed = jdbc.update("DELETE FROM enrollments WHERE student_id = ? AND section_id = ?",
                studentId, sectionId);
        if (removed == 0) {
            return;
        }
        jdbc.update("UPDATE course_sections SET seats_taken = seats_taken - 1 WHERE id = ? AND seats_taken > 0",
                sectionId);
        promoteFromWaitlist(sectionId);
    }

    /**
     * Moves the head of the waitlist into the freed seat. SKIP LOCKED means two concurrent
     * drops in the same section each promote a different student.
     */
    private void promoteFromWaitlist(long sectionId) {
        List<Long> next = jdbc.queryForList("""
                SELECT student_id FROM waitlist
                 WHERE section_id = ?
                 ORDER BY joined_at
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED
                """, Long.class, sectionId);
        if (next.isEmpty()) {
            return;
        }
        long studentId = next.get(0);
        int seat = jdbc.update("""
                UPDATE course_sections SET seats_taken = seats_taken + 1
                 WHERE id = ? AND seats_taken < capacity
                """, sectionId);
        if (seat == 1) {
            jdbc.update("DELETE FROM waitlist WHERE student_id = ? AND section_id = ?", studentId, sectionId);
            jdbc.update("""
                    INSERT INTO enrollments (student_id, section_id, enrolled_at) VALUES (?, ?, now())
                    ON CONFLICT (student_id, section_id) DO NOTHING
                    """, studentId, sectionId);
        }
    }

    /** A student's own schedule for one term (a handful of rows). */
    @Transactional(readOnly = true)
    public List<ScheduleRow> scheduleFor(long studentId, long termId) {
        return jdbc.query("""
                SELECT s.id, c.code, c.title, s.meets, s.room
                  FROM enrollments e
                  JOIN course_sections s ON s.id = e.section_id
                  JOIN courses c ON c.id = s.course_id
                 WHERE e.student_id = ? AND s.term_id = ?
                 ORDER BY c.code
                """, (rs, i) -> new ScheduleRow(rs.getLong("id"), rs.getString("code"),
                        rs.getString("title"), rs.getString("meets"), rs.getString("room")),
                studentId, termId);
    }

    public enum EnrollmentResult { ENROLLED, WAITLISTED }

    public record ScheduleRow(long sectionId, String code, String title, String meets, String room) {}
}
