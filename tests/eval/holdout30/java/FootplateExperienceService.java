package uk.narrowgauge.footplate.service;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import uk.narrowgauge.footplate.events.FootplateBooked;
import uk.narrowgauge.footplate.model.FootplateBooking;
import uk.narrowgauge.footplate.service.errors.AlreadyBookedException;
import uk.narrowgauge.footplate.service.errors.InsufficientVoucherBalanceException;
import uk.narrowgauge.footplate.service.errors.SlotSoldOutException;
import uk.narrowgauge.footplate.service.errors.UnknownVoucherException;

/**
 * Footplate experience days on the narrow-gauge line: a guest rides (and fires)
 * the loco for a return trip. Each turn has one or two footplate places. Several
 * heritage railways use the same booking system, keyed by railway_id.
 */
@Service
public class FootplateExperienceService {

    private static final Logger log = LoggerFactory.getLogger(FootplateExperienceService.class);

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    public FootplateExperienceService(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @Transactional
    public FootplateBooking book(long railwayId, long turnId, String guestEmail, int places, String voucherCode) {
        // Decrement only if enough places remain; the row count tells us whether we got them.
        int claimed = jdbc.update(
                "UPDATE footplate_turns SET places_left = places_left - ? "
                        + "WHERE id = ? AND railway_id = ? AND places_left >= ? AND departs_at > now()",
                places, turnId, railwayId, places);
        if (claimed == 0) {
            throw new SlotSoldOutException(turnId);
        }

        Map<String, Object> turn = jdbc.queryForMap(
                "SELECT price_pence, loco_name, departs_at FROM footplate_turns WHERE id = ? AND railway_id = ?",
                turnId, railwayId);
        long pricePence = ((Number) turn.get("price_pence")).longValue() * places;

        if (voucherCode != null && !voucherCode.isBlank()) {
            redeemVoucher(railwayId, voucherCode, pricePence);
        }

        // uq_footplate_booking (railway_id, turn_id, guest_email): a double-click cannot create two bookings.
        Long bookingId = jdbc.query(
                "INSERT INTO footplate_bookings (railway_id, turn_id, guest_email, places, price_pence) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (railway_id, turn_id, guest_email) DO NOTHING RETURNING id",
                rs -> rs.next() ? rs.getLong(1) : null, railwayId, turnId, guestEmail, places, pricePence);
        if (bookingId == null) {
            // Rolls back the place decrement above together with any voucher redemption.
            throw new AlreadyBookedException(turnId, guestEmail);
        }

        // Confirmation email goes out from an @TransactionalEventListener(AFTER_COMMIT) handler.
        events.publishEvent(new FootplateBooked(railwayId, bookingId, guestEmail));
        return new FootplateBooking(bookingId, turnId, (String) turn.get("loco_name"), places, pricePence);
    }

    /** Gift vouchers can be part-used, so the balance is locked while we spend from it. */
    private void redeemVoucher(long railwayId, String code, long amountPence) {
        Long balance = jdbc.query(
                "SELECT balance_pence FROM gift_vouchers WHERE code = ? AND railway_id = ? AND expires_on >= current_date FOR UPDATE",
                rs -> rs.next() ? rs.getLong(1) : null, code, railwayId);
        if (balance == null) {
            throw new UnknownVoucherException(code);
        }
        if (balance < amountPence) {
            log.info("voucher {} has {}p, booking needs {}p", code, balance, amountPence);
            throw new InsufficientVoucherBalanceException(code, balance, amountPence);
        }
        jdbc.update("UPDATE gift_vouchers SET balance_pence = balance_pence - ? WHERE code = ? AND railway_id = ?",
                amountPence, code, railwayId);
    }
}
