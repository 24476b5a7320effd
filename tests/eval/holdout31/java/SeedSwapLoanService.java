package org.seedlibrary.loans;

import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

import static org.springframework.http.HttpStatus.CONFLICT;
import static org.springframework.http.HttpStatus.NOT_FOUND;

/**
 * Seed-swap library: members borrow a packet from a seed lot and "return" it at the end of
 * the season as fresh seed saved from their own plants.
 *
 * Schema notes:
 *   seed_lots.packets_available  CHECK (packets_available >= 0)
 *   uq_open_loan  UNIQUE (member_id, lot_id) WHERE returned_at IS NULL
 */
@Service
public class SeedSwapLoanService {

    private static final Logger log = LoggerFactory.getLogger(SeedSwapLoanService.class);
    private static final int MAX_PAGE_SIZE = 50;

    private final JdbcTemplate jdbc;

    public SeedSwapLoanService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record OpenLoan(long loanId, String variety, LocalDate borrowedOn, int dueBackSeason) {}

    @Transactional
    public long borrow(long memberId, long lotId, int dueBackSeason) {
        // Take a packet only if one is left; the row lock from the UPDATE serialises borrowers.
        int taken = jdbc.update(
                "UPDATE seed_lots SET packets_available = packets_available - 1 "
                        + "WHERE id = ? AND packets_available > 0", lotId);
        if (taken == 0) {
            throw new ResponseStatusException(CONFLICT, "No packets left in this lot");
        }

        try {
            return jdbc.queryForObject(
                    "INSERT INTO seed_loans (member_id, lot_id, borrowed_on, due_back_season) "
                            + "VALUES (?, ?, current_date, ?) RETURNING id",
                    Long.class, memberId, lotId, dueBackSeason);
        } catch (DuplicateKeyException e) {
            // Rolls back the packet decrement above together with the failed insert.
            log.info("Member {} already has an open loan from lot {}", memberId, lotId);
            throw new ResponseStatusException(CONFLICT, "You already have a packet from this lot", e);
        }
    }

    @Transactional
    public void returnSeed(long memberId, long loanId, int packetsSaved) {
        Long lotId = jdbc.query(
                "UPDATE seed_loans SET returned_at = now(), packets_returned = ? "
                        + "WHERE id = ? AND member_id = ? AND returned_at IS NULL RETURNING lot_id",
                rs -> rs.next() ? rs.getLong(1) : null,
                packetsSaved, loanId, memberId);
        if (lotId == null) {
            throw new ResponseStatusException(NOT_FOUND, "No open loan " + loanId);
        }
        jdbc.update("UPDATE seed_lots SET packets_available = packets_available + ? WHERE id = ?",
                packetsSaved, lotId);
    }

    @Transactional(readOnly = true)
    public List<OpenLoan> openLoans(long memberId, int page, int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        return jdbc.query(
                "SELECT l.id, s.variety, l.borrowed_on, l.due_back_season FROM seed_loans l "
                        + "JOIN seed_lots s ON s.id = l.lot_id "
                        + "WHERE l.member_id = ? AND l.returned_at IS NULL "
                        + "ORDER BY l.borrowed_on DESC LIMIT ? OFFSET ?",
                (rs, i) -> new OpenLoan(rs.getLong("id"), rs.getString("variety"),
                        rs.getDate("borrowed_on").toLocalDate(), rs.getInt("due_back_season")),
                memberId, limit, page * limit);
    }
}
