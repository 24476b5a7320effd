package org.greenrows.allotments.service;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import org.greenrows.allotments.notify.NotificationGateway;
import org.greenrows.allotments.web.dto.WaitlistEntry;

/**
 * Offers vacant allotment plots to applicants at the head of the waiting list.
 * An offer reserves the plot for 14 days so the applicant can walk the site
 * with the committee before accepting.
 */
@Service
public class PlotOfferService {

    private static final Logger log = LoggerFactory.getLogger(PlotOfferService.class);
    private static final Duration OFFER_WINDOW = Duration.ofDays(14);

    private final JdbcTemplate jdbc;
    private final NotificationGateway notifications;

    public PlotOfferService(JdbcTemplate jdbc, NotificationGateway notifications) {
        this.jdbc = jdbc;
        this.notifications = notifications;
    }

    /** Next applicants for a site, oldest application first. */
    public List<WaitlistEntry> nextOnWaitlist(long siteId, int limit) {
        return jdbc.query(
                "SELECT id, applicant_name, email, applied_on FROM waitlist "
                        + "WHERE site_id = ? AND status = 'WAITING' ORDER BY applied_on LIMIT ?",
                (rs, i) -> new WaitlistEntry(rs.getLong("id"), rs.getString("applicant_name"),
                        rs.getString("email"), rs.getDate("applied_on").toLocalDate()),
                siteId, Math.min(limit, 50));
    }

    /**
     * Called when a committee member clicks "Offer plot" on the vacancy screen.
     * Returns the new offer id, or empty if the plot is already offered or let.
     */
    @Transactional
    public Optional<Long> offerPlot(long plotId, long applicantId, String applicantEmail) {
        Integer open = jdbc.queryForObject("SELECT COUNT(*) FROM plot_offers WHERE plot_id = ? AND status IN ('PENDING', 'ACCEPTED')",
                Integer.class, plotId);
        if (open != null && open > 0) {
            log.info("Plot {} already has an open offer", plotId);
            return Optional.empty();
        }

        Instant expiresAt = Instant.now().plus(OFFER_WINDOW);
        Long offerId = jdbc.queryForObject("INSERT INTO plot_offers (plot_id, applicant_id, status, expires_at) VALUES (?, ?, 'PENDING', ?) RETURNING id",
                Long.class, plotId, applicantId, Timestamp.from(expiresAt));

        try {
            notifications.sendPlotOffer(applicantEmail, plotId, expiresAt);
        } catch (Exception e) {
            // the applicant can still see the offer when they log in to the portal
        }
        return Optional.ofNullable(offerId);
    }

    /** Applicant accepts inside the window; the plot is then let to them. */
    @Transactional
    public boolean acceptOffer(long offerId, long applicantId) {
        int updated = jdbc.update(
                "UPDATE plot_offers SET status = 'ACCEPTED', accepted_at = now() "
                        + "WHERE id = ? AND applicant_id = ? AND status = 'PENDING' AND expires_at > now()",
                offerId, applicantId);
        if (updated == 0) {
            return false;
        }
        jdbc.update(
                "UPDATE plots SET plotholder_id = ?, let_since = current_date "
                        + "WHERE id = (SELECT plot_id FROM plot_offers WHERE id = ?)",
                applicantId, offerId);
        jdbc.update("UPDATE waitlist SET status = 'HOUSED' WHERE applicant_id = ?", applicantId);
        return true;
    }

    /** Offers the applicant has not answered yet, for the "my offers" page. */
    public List<Long> pendingOfferIds(long applicantId) {
        return jdbc.queryForList(
                "SELECT id FROM plot_offers WHERE applicant_id = ? AND status = 'PENDING' AND expires_at > now() "
                        + "ORDER BY expires_at LIMIT 10",
                Long.class, applicantId);
    }
}
