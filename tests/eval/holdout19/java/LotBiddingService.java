/*
 * Q: "Two dealers bid on the same car within a few ms and both got 'you are the high bidder'.
 *     Is my bidding endpoint race-safe?"
 *
 * A: No — the original code read current_bid_cents, compared in Java and then wrote, so two
 *    concurrent requests could both pass the check. The fix below locks the lot row with
 *    SELECT ... FOR UPDATE inside the transaction, so bids on the same lot are serialized and
 *    every comparison sees the latest committed high bid. Bids on different lots don't block
 *    each other.
 */
package com.autogavel.bidding;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

@Service
public class LotBiddingService {

    private static final long MIN_INCREMENT_CENTS = 10_000;          // $100
    private static final Duration SOFT_CLOSE = Duration.ofMinutes(2); // anti-sniping

    private final JdbcTemplate jdbc;

    public LotBiddingService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record BidResult(long lotId, long amountCents, Instant endsAt) {}

    @Transactional
    public BidResult placeBid(long lotId, long dealerId, long amountCents) {
        // Row lock: concurrent bids on this lot wait here until we commit.
        Map<String, Object> lot = jdbc.queryForMap("""
                SELECT current_bid_cents, high_bidder_id, ends_at, status
                FROM auction_lots
                WHERE id = ?
                FOR UPDATE
                """, lotId);

        if (!"OPEN".equals(lot.get("status"))) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Lot is closed");
        }
        Instant endsAt = ((Timestamp) lot.get("ends_at")).toInstant();
        Instant now = Instant.now();
        if (now.isAfter(endsAt)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Auction has ended");
        }
        long current = ((Number) lot.get("current_bid_cents")).longValue();
        if (amountCents < current + MIN_INCREMENT_CENTS) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                    "Bid must be at least " + (current + MIN_INCREMENT_CENTS));
        }

        // Soft close: a bid in the last 2 minutes pushes the end time out.
        Instant newEnd = endsAt.minus(SOFT_CLOSE).isBefore(now) ? now.plus(SOFT_CLOSE) : endsAt;

        jdbc.update("""
                UPDATE auction_lots
                   SET current_bid_cents = ?, high_bidder_id = ?, ends_at = ?
                 WHERE id = ?
                """, amountCents, dealerId, Timestamp.from(newEnd), lotId);
        jdbc.update("INSERT INTO bids (lot_id, dealer_id, amount_cents, placed_at) VALUES (?, ?, ?, now())",
                lotId, dealerId, amountCents);

        return new BidResult(lotId, amountCents, newEnd);
    }

    /** Bid history panel on the lot page — most recent 50 only. */
    public List<Map<String, Object>> recentBids(long lotId) {
        return jdbc.queryForList("""
                SELECT b.amount_cents, b.placed_at, d.display_name
                FROM bids b JOIN dealers d ON d.id = b.dealer_id
                WHERE b.lot_id = ?
                ORDER BY b.placed_at DESC
                LIMIT 50
                """, lotId);
    }
}
