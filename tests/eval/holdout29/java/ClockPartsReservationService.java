package org.turretclock.workshop.parts;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reserves spare parts (escapement wheels, pallets, bevel gears, bell hammers) from a workshop's
 * stock for a church-clock repair job. Several clockmakers in the same workshop work on the
 * tower jobs at once, so reservations go through a row lock on the stock line.
 */
@Service
public class ClockPartsReservationService {

    private static final Logger log = LoggerFactory.getLogger(ClockPartsReservationService.class);
    private static final int PAGE_SIZE_MAX = 100;

    private final JdbcTemplate jdbc;

    public ClockPartsReservationService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void reserve(long workshopId, long jobId, long partId, int qty) {
        if (qty <= 0) {
            throw new IllegalArgumentException("qty must be positive");
        }
        Integer onHand;
        try {
            onHand = jdbc.queryForObject(
                "SELECT qty_on_hand FROM clock_parts WHERE id = ? AND workshop_id = ? FOR UPDATE",
                Integer.class, partId, workshopId);
        } catch (EmptyResultDataAccessException e) {
            throw new PartNotFoundException(partId);
        }
        if (onHand == null || onHand < qty) {
            throw new InsufficientStockException(partId, onHand == null ? 0 : onHand, qty);
        }

        jdbc.update("UPDATE clock_parts SET qty_on_hand = qty_on_hand - ? WHERE id = ? AND workshop_id = ?",
            qty, partId, workshopId);
        jdbc.update(
            "INSERT INTO part_reservations (workshop_id, job_id, part_id, qty) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (job_id, part_id) DO UPDATE SET qty = part_reservations.qty + EXCLUDED.qty",
            workshopId, jobId, partId, qty);
        log.info("workshop {} job {} reserved {} x part {}", workshopId, jobId, qty, partId);
    }

    @Transactional
    public void release(long workshopId, long jobId, long partId) {
        List<Integer> reserved = jdbc.queryForList(
            "DELETE FROM part_reservations WHERE workshop_id = ? AND job_id = ? AND part_id = ? RETURNING qty",
            Integer.class, workshopId, jobId, partId);
        if (reserved.isEmpty()) {
            return;
        }
        jdbc.update("UPDATE clock_parts SET qty_on_hand = qty_on_hand + ? WHERE id = ? AND workshop_id = ?",
            reserved.get(0), partId, workshopId);
    }

    /** Stock list page; keyset pagination on id so the list stays fast as the catalogue grows. */
    public List<ClockPart> listParts(long workshopId, long afterId, int pageSize) {
        int limit = Math.min(Math.max(pageSize, 1), PAGE_SIZE_MAX);
        return jdbc.query(
            "SELECT id, name, movement_maker, qty_on_hand FROM clock_parts "
                + "WHERE workshop_id = ? AND id > ? ORDER BY id LIMIT ?",
            (rs, i) -> new ClockPart(rs.getLong("id"), rs.getString("name"),
                rs.getString("movement_maker"), rs.getInt("qty_on_hand")),
            workshopId, afterId, limit);
    }

    public record ClockPart(long id, String name, String movementMaker, int qtyOnHand) {}
}
