package com.studyloop.marketplace.tutors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tutor search and "recommended for you" on the student home page.
 */
@Service
public class TutorSearchService {

    private static final int MAX_PAGE_SIZE = 50;

    private final NamedParameterJdbcTemplate jdbc;

    // Recommendations depend on the student's own grade level, subjects and lesson history,
    // so they are cached per student on purpose. Bounded + TTL.
    private final Cache<Long, List<TutorCard>> recommendationsByStudent = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(Duration.ofMinutes(15))
            .build();

    public TutorSearchService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<TutorCard> search(String subject, int page, int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        List<TutorRow> rows = jdbc.query("""
                SELECT id, display_name, hourly_rate_cents, rating
                FROM tutors
                WHERE :subject = ANY(subjects) AND active
                ORDER BY rating DESC, id
                LIMIT :limit OFFSET :offset
                """,
                Map.of("subject", subject, "limit", limit, "offset", Math.max(page, 0) * limit),
                TutorRow.MAPPER);

        Map<Long, List<Slot>> openSlots = openSlotsFor(rows.stream().map(TutorRow::id).toList());
        return rows.stream()
                .map(r -> new TutorCard(r, openSlots.getOrDefault(r.id(), List.of())))
                .toList();
    }

    /** One query for the whole page of tutors. */
    private Map<Long, List<Slot>> openSlotsFor(List<Long> tutorIds) {
        if (tutorIds.isEmpty()) {
            return Map.of();
        }
        List<Slot> slots = jdbc.query("""
                SELECT tutor_id, starts_at, ends_at
                FROM availability
                WHERE tutor_id IN (:ids)
                  AND starts_at BETWEEN now() AND now() + interval '7 days'
                  AND booked_by IS NULL
                ORDER BY starts_at
                """,
                Map.of("ids", tutorIds),
                Slot.MAPPER);
        return slots.stream().collect(Collectors.groupingBy(Slot::tutorId));
    }

    public List<TutorCard> recommendedFor(long studentId) {
        return recommendationsByStudent.get(studentId, this::computeRecommendations);
    }

    private List<TutorCard> computeRecommendations(long studentId) {
        List<TutorRow> rows = jdbc.query("""
                SELECT t.id, t.display_name, t.hourly_rate_cents, t.rating
                FROM tutors t
                JOIN students s ON s.id = :studentId
                WHERE t.active
                  AND t.subjects && s.subjects
                  AND s.grade_level BETWEEN t.min_grade AND t.max_grade
                  AND t.id NOT IN (SELECT tutor_id FROM blocked_tutors WHERE student_id = :studentId)
                ORDER BY t.rating DESC
                LIMIT 12
                """,
                Map.of("studentId", studentId),
                TutorRow.MAPPER);
        Map<Long, List<Slot>> openSlots = openSlotsFor(rows.stream().map(TutorRow::id).toList());
        return rows.stream()
                .map(r -> new TutorCard(r, openSlots.getOrDefault(r.id(), List.of())))
                .toList();
    }

    public void invalidateRecommendations(long studentId) {
        recommendationsByStudent.invalidate(studentId);
    }

    record Slot(long tutorId, OffsetDateTime startsAt, OffsetDateTime endsAt) {
        static final org.springframework.jdbc.core.RowMapper<Slot> MAPPER = (rs, i) -> new Slot(
                rs.getLong("tutor_id"),
                rs.getObject("starts_at", OffsetDateTime.class),
                rs.getObject("ends_at", OffsetDateTime.class));
    }
}
