/*
 * Good catch. The previous version read `enrolled_count` and `capacity`, compared them in Java
 * and then inserted the enrolment, so two coordinators enrolling at the same site at the same
 * moment could both pass the check and over-enrol the arm.
 *
 * In this version the site row is locked with SELECT ... FOR UPDATE inside the transaction, so
 * the second coordinator waits until the first commits and then sees the updated count. The
 * unique constraint on (trial_id, participant_id) plus ON CONFLICT DO NOTHING handles a double
 * submission without aborting the transaction.
 */
package org.cohortly.enrolment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

@Service
public class EnrollmentService {

    private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

    private final JdbcTemplate jdbc;

    public EnrollmentService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public EnrolmentResult enrol(long sponsorId, long trialId, long siteId, EnrolmentRequest req) {
        SiteSlot slot;
        try {
            slot = jdbc.queryForObject("""
                    SELECT capacity, enrolled_count, status
                      FROM trial_sites
                     WHERE id = ? AND trial_id = ? AND sponsor_id = ?
                     FOR UPDATE
                    """, (rs, i) -> new SiteSlot(rs.getInt(1), rs.getInt(2), rs.getString(3)),
                    siteId, trialId, sponsorId);
        } catch (EmptyResultDataAccessException e) {
            throw new NotFoundException("site " + siteId);
        }

        if (!"RECRUITING".equals(slot.status())) {
            return EnrolmentResult.rejected("site is not recruiting");
        }
        if (slot.enrolledCount() >= slot.capacity()) {
            return EnrolmentResult.rejected("site has reached its enrolment cap");
        }

        List<Long> inserted = jdbc.queryForList("""
                INSERT INTO enrolments (sponsor_id, trial_id, site_id, participant_id, arm, consent_version)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (trial_id, participant_id) DO NOTHING
                RETURNING id
                """, Long.class, sponsorId, trialId, siteId, req.participantId(), req.arm(), req.consentVersion());
        if (inserted.isEmpty()) {
            log.info("participant {} already enrolled in trial {}", req.participantId(), trialId);
            return EnrolmentResult.alreadyEnrolled();
        }
        long enrolmentId = inserted.get(0);

        jdbc.update("UPDATE trial_sites SET enrolled_count = enrolled_count + 1 WHERE id = ? AND sponsor_id = ?",
                siteId, sponsorId);

        return EnrolmentResult.enrolled(enrolmentId);
    }

    /** Eligibility screen shows the human-readable diagnosis. icd10_codes is a shared reference table. */
    public String diagnosisLabel(String icd10Code) {
        return jdbc.queryForObject("SELECT description FROM icd10_codes WHERE code = ?", String.class, icd10Code);
    }

    public EnrolmentView get(long sponsorId, long enrolmentId) {
        return jdbc.queryForObject("""
                SELECT e.id, e.participant_id, e.arm, s.site_name, e.enrolled_at
                  FROM enrolments e JOIN trial_sites s ON s.id = e.site_id
                 WHERE e.id = ? AND e.sponsor_id = ?
                """, EnrolmentView.ROW_MAPPER, enrolmentId, sponsorId);
    }

    record SiteSlot(int capacity, int enrolledCount, String status) {}
}
