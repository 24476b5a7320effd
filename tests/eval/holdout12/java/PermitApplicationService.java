package gov.cityworks.permits.service;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applicant-facing permit queries. Every permit/inspection row carries municipality_id;
 * permit_types is the state-wide catalogue and is not tenant-scoped.
 */
@Service
public class PermitApplicationService {

    private final JdbcTemplate jdbc;

    // "My applications" list: genuinely different for each applicant, short TTL, bounded.
    private final Cache<String, List<PermitSummary>> myApplications = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofMinutes(2))
            .build();

    // Fee schedule per municipality: shared by everyone in that town, refreshed in the background.
    private final LoadingCache<Long, FeeSchedule> feeSchedules;

    public PermitApplicationService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.feeSchedules = Caffeine.newBuilder()
                .maximumSize(500)
                .refreshAfterWrite(Duration.ofMinutes(10))
                .build(this::loadFeeSchedule);
    }

    public List<PermitSummary> applicationsFor(long municipalityId, long applicantId) {
        String key = municipalityId + ":" + applicantId;
        return myApplications.get(key, k -> jdbc.query("""
                SELECT p.id, p.reference, p.status, t.name AS type_name, p.submitted_at
                  FROM permits p JOIN permit_types t ON t.id = p.permit_type_id
                 WHERE p.municipality_id = ? AND p.applicant_id = ?
                 ORDER BY p.submitted_at DESC
                 LIMIT 100
                """, PermitSummary.MAPPER, municipalityId, applicantId));
    }

    public PermitDetail detail(long municipalityId, long applicantId, long permitId) {
        try {
            return jdbc.queryForObject("""
                    SELECT * FROM permits
                     WHERE id = ? AND municipality_id = ? AND applicant_id = ?
                    """, PermitDetail.MAPPER, permitId, municipalityId, applicantId);
        } catch (EmptyResultDataAccessException e) {
            throw new PermitNotFoundException(permitId);
        }
    }

    public PermitType permitType(long typeId) {
        return jdbc.queryForObject("SELECT id, code, name, requires_inspection FROM permit_types WHERE id = ?",
                PermitType.MAPPER, typeId);
    }

    public List<InspectionSlot> inspections(long municipalityId, long permitId, int page, int size) {
        int limit = Math.min(Math.max(size, 1), 50);
        return jdbc.query("""
                SELECT id, inspector_name, scheduled_for, result
                  FROM inspections
                 WHERE municipality_id = ? AND permit_id = ?
                 ORDER BY scheduled_for DESC
                 LIMIT ? OFFSET ?
                """, InspectionSlot.MAPPER, municipalityId, permitId, limit, page * limit);
    }

    public Money estimateFee(long municipalityId, long typeId, int valuationDollars) {
        return feeSchedules.get(municipalityId).feeFor(typeId, valuationDollars);
    }

    @Transactional
    public void withdraw(long municipalityId, long applicantId, long permitId) {
        int n = jdbc.update("""
                UPDATE permits SET status = 'WITHDRAWN', updated_at = now()
                 WHERE id = ? AND municipality_id = ? AND applicant_id = ? AND status IN ('DRAFT', 'SUBMITTED')
                """, permitId, municipalityId, applicantId);
        if (n == 0) {
            throw new PermitStateException(permitId, "cannot be withdrawn");
        }
        myApplications.invalidate(municipalityId + ":" + applicantId);
    }

    private FeeSchedule loadFeeSchedule(Long municipalityId) {
        return FeeSchedule.of(jdbc.query(
                "SELECT permit_type_id, base_cents, per_thousand_cents FROM fee_rules WHERE municipality_id = ?",
                FeeRule.MAPPER, municipalityId));
    }
}
