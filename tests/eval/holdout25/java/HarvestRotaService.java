package com.vineyard.rota;

import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pickers sign up for harvest rows on a given day. Each row block has a
 * limited number of picker slots; the estate is the tenant.
 *
 * Schema notes (V14__picking_rota.sql):
 *   picking_blocks(id, estate_id, pick_date, block_code, slots_left CHECK (slots_left >= 0))
 *   picking_signups(estate_id, block_id, picker_id, UNIQUE (block_id, picker_id))
 */
@Service
public class HarvestRotaService {

    private static final Logger log = LoggerFactory.getLogger(HarvestRotaService.class);
    private static final int MAX_PAGE = 100;

    private final JdbcTemplate jdbc;

    public HarvestRotaService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public enum SignupResult { CONFIRMED, FULL, ALREADY_SIGNED_UP }

    @Transactional
    public SignupResult signUp(long estateId, long blockId, long pickerId) {
        // Take the slot atomically; the WHERE clause is the capacity check.
        int taken = jdbc.update(
                "UPDATE picking_blocks SET slots_left = slots_left - 1 "
                        + "WHERE id = ? AND estate_id = ? AND slots_left > 0",
                blockId, estateId);
        if (taken == 0) {
            return SignupResult.FULL;
        }

        int inserted = jdbc.update(
                "INSERT INTO picking_signups (estate_id, block_id, picker_id, signed_up_at) "
                        + "VALUES (?, ?, ?, now()) ON CONFLICT (block_id, picker_id) DO NOTHING",
                estateId, blockId, pickerId);
        if (inserted == 0) {
            // The unique constraint caught a double tap; give back the slot we took.
            log.info("picker {} already on block {}", pickerId, blockId);
            jdbc.update("UPDATE picking_blocks SET slots_left = slots_left + 1 "
                    + "WHERE id = ? AND estate_id = ?", blockId, estateId);
            return SignupResult.ALREADY_SIGNED_UP;
        }
        return SignupResult.CONFIRMED;
    }

    public record BlockView(long id, String blockCode, LocalDate pickDate, int slotsLeft) {}

    public List<BlockView> openBlocks(long estateId, LocalDate day, int page, int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE);
        int offset = Math.max(page, 0) * limit;
        return jdbc.query(
                "SELECT id, block_code, pick_date, slots_left FROM picking_blocks "
                        + "WHERE estate_id = ? AND pick_date = ? AND slots_left > 0 "
                        + "ORDER BY block_code LIMIT ? OFFSET ?",
                (rs, i) -> new BlockView(rs.getLong("id"), rs.getString("block_code"),
                        rs.getDate("pick_date").toLocalDate(), rs.getInt("slots_left")),
                estateId, day, limit, offset);
    }

    @Transactional
    public void withdraw(long estateId, long blockId, long pickerId) {
        int removed = jdbc.update(
                "DELETE FROM picking_signups WHERE estate_id = ? AND block_id = ? AND picker_id = ?",
                estateId, blockId, pickerId);
        if (removed == 1) {
            jdbc.update("UPDATE picking_blocks SET slots_left = slots_left + 1 "
                    + "WHERE id = ? AND estate_id = ?", blockId, estateId);
        }
    }
}
