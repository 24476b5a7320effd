package com.bazaarly.payouts;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/**
 * Seller payout requests for the marketplace.
 *
 * <p>Design notes:
 * <ul>
 *   <li>The seller's balance row is locked with {@code SELECT ... FOR UPDATE} for the whole
 *       transaction, so two concurrent withdrawals can never both pass the balance check.</li>
 *   <li>Each request carries a client idempotency key; a retried request returns the original payout.</li>
 *   <li>The actual bank transfer is executed by {@code PayoutDispatcherJob} from the
 *       {@code payouts} table (status PENDING), never inside this transaction.</li>
 * </ul>
 */
@Service
public class PayoutService {

    private static final Logger log = LoggerFactory.getLogger(PayoutService.class);
    private static final long MIN_PAYOUT_CENTS = 1_000;

    private final JdbcTemplate jdbc;

    public PayoutService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public Map<String, Object> requestPayout(long sellerId, long amountCents, String idempotencyKey) {
        if (amountCents < MIN_PAYOUT_CENTS) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "minimum payout is 10.00");
        }

        // Lock the seller's balance row until commit.
        Long available = jdbc.queryForObject(
                "SELECT available_cents FROM seller_balances WHERE seller_id = ? FOR UPDATE",
                Long.class, sellerId);

        // Idempotent retry: same key -> same payout, no second debit.
        var existing = jdbc.queryForList(
                "SELECT id, amount_cents, status FROM payouts WHERE seller_id = ? AND idempotency_key = ?",
                sellerId, idempotencyKey);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }

        if (available == null || available < amountCents) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "insufficient balance");
        }

        jdbc.update("UPDATE seller_balances SET available_cents = available_cents - ?, updated_at = now() "
                + "WHERE seller_id = ?", amountCents, sellerId);

        UUID payoutId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO payouts (id, seller_id, amount_cents, currency, status, idempotency_key)
                SELECT ?, s.id, ?, s.payout_currency, 'PENDING', ?
                FROM sellers s WHERE s.id = ?
                """, payoutId, amountCents, idempotencyKey, sellerId);

        log.info("payout {} requested seller={} amount={}", payoutId, sellerId, amountCents);
        return Map.of("id", payoutId, "amount_cents", amountCents, "status", "PENDING");
    }

    /**
     * Called by the dispatcher when the bank rejects a transfer: puts the money back.
     * The status transition is conditional, so a duplicate rejection callback is a no-op.
     */
    @Transactional
    public void refundRejected(UUID payoutId) {
        int moved = jdbc.update(
                "UPDATE payouts SET status = 'REJECTED' WHERE id = ? AND status = 'SENT'", payoutId);
        if (moved == 0) {
            log.info("payout {} already handled, skipping refund", payoutId);
            return;
        }
        jdbc.update("""
                UPDATE seller_balances b SET available_cents = b.available_cents + p.amount_cents
                FROM payouts p WHERE p.id = ? AND b.seller_id = p.seller_id
                """, payoutId);
    }

    /** Reference data; currencies is a global lookup table. */
    public String currencySymbol(String isoCode) {
        return jdbc.queryForObject("SELECT symbol FROM currencies WHERE iso_code = ?", String.class, isoCode);
    }
}
