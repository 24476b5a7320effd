package org.harbourtrust.moorings.service;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Provisional holds and seasonal leases on the harbour's swinging-mooring buoys.
 *
 * A berth holder picks a buoy on the harbour chart, we place a 20 minute hold
 * while they enter vessel details and pay the dues, and the hold is then
 * converted into a lease for the season.
 */
@Service
public class MooringLeaseService {

    private static final Logger log = LoggerFactory.getLogger(MooringLeaseService.class);
    private static final Duration HOLD_LENGTH = Duration.ofMinutes(20);

    private final JdbcTemplate jdbc;
    private final HarbourMailer mailer;

    public MooringLeaseService(JdbcTemplate jdbc, HarbourMailer mailer) {
        this.jdbc = jdbc;
        this.mailer = mailer;
    }

    @Transactional
    public UUID placeHold(long buoyId, long berthHolderId, int season) {
        Integer activeHolds = jdbc.queryForObject(
                "SELECT COUNT(*) FROM mooring_holds WHERE buoy_id = ? AND season = ? AND expires_at > now() AND converted = false",
                Integer.class, buoyId, season);
        Integer leases = jdbc.queryForObject(
                "SELECT COUNT(*) FROM mooring_leases WHERE buoy_id = ? AND season = ?",
                Integer.class, buoyId, season);

        if ((activeHolds != null && activeHolds > 0) || (leases != null && leases > 0)) {
            throw new BuoyUnavailableException(buoyId, season);
        }

        UUID holdId = UUID.randomUUID();
        Timestamp expiresAt = Timestamp.from(Instant.now().plus(HOLD_LENGTH));
        jdbc.update(
                "INSERT INTO mooring_holds (id, buoy_id, berth_holder_id, season, expires_at, converted) VALUES (?, ?, ?, ?, ?, false)",
                holdId, buoyId, berthHolderId, season, expiresAt);

        log.info("Hold {} placed on buoy {} for season {} by berth holder {}", holdId, buoyId, season, berthHolderId);
        return holdId;
    }

    @Transactional
    public long confirmLease(UUID holdId, String vesselName, double vesselLengthMetres) {
        // Converting the hold and reading it back happen in one statement, so a
        // double-clicked "Pay and confirm" only ever converts the hold once.
        List<Map<String, Object>> converted = jdbc.queryForList(
                "UPDATE mooring_holds SET converted = true "
                        + "WHERE id = ? AND converted = false AND expires_at > now() "
                        + "RETURNING buoy_id, berth_holder_id, season",
                holdId);
        if (converted.isEmpty()) {
            throw new HoldExpiredException(holdId);
        }

        Map<String, Object> hold = converted.get(0);
        long buoyId = ((Number) hold.get("buoy_id")).longValue();
        long berthHolderId = ((Number) hold.get("berth_holder_id")).longValue();
        int season = ((Number) hold.get("season")).intValue();

        Long leaseId = jdbc.queryForObject(
                "INSERT INTO mooring_leases (buoy_id, berth_holder_id, season, vessel_name, vessel_length_m) "
                        + "VALUES (?, ?, ?, ?, ?) RETURNING id",
                Long.class, buoyId, berthHolderId, season, vesselName, vesselLengthMetres);

        sendConfirmation(berthHolderId, buoyId, season, vesselName);
        return leaseId;
    }

    public List<Map<String, Object>> holdsFor(long berthHolderId) {
        return jdbc.queryForList(
                "SELECT id, buoy_id, season, expires_at, converted FROM mooring_holds "
                        + "WHERE berth_holder_id = ? ORDER BY expires_at DESC LIMIT 20",
                berthHolderId);
    }

    private void sendConfirmation(long berthHolderId, long buoyId, int season, String vesselName) {
        try {
            mailer.sendLeaseConfirmation(berthHolderId, buoyId, season, vesselName);
        } catch (MailException e) {
            // The harbour office can resend confirmations from the admin screen.
        }
    }
}
