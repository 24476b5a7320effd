package org.sharedshelf.fridges.web;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import org.sharedshelf.fridges.domain.FridgeItem;
import org.sharedshelf.fridges.domain.FridgeItemRepository;
import org.sharedshelf.fridges.domain.StockLog;
import org.sharedshelf.fridges.domain.StockLogRepository;

/**
 * Endpoints behind the tablet taped to each community fridge door and the hub coordinators'
 * dashboard. A hub runs one or more fridges (church hall, library, the leisure centre).
 */
@RestController
@RequestMapping("/api/hubs/{hubId}/fridges")
public class FridgeStockController {

    private final FridgeItemRepository items;
    private final StockLogRepository stockLogs;
    private final JdbcTemplate jdbc;

    public FridgeStockController(FridgeItemRepository items, StockLogRepository stockLogs, JdbcTemplate jdbc) {
        this.items = items;
        this.stockLogs = stockLogs;
        this.jdbc = jdbc;
    }

    /** Someone taps "I took one" on the door tablet. */
    @PostMapping("/{fridgeId}/items/{itemId}/take")
    @Transactional
    public ItemDto take(@PathVariable long hubId, @PathVariable long fridgeId,
                        @PathVariable long itemId, @RequestParam(defaultValue = "1") int qty) {
        FridgeItem item = items.findByIdAndFridgeIdAndHubId(itemId, fridgeId, hubId)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));

        int remaining = Math.max(0, item.getQuantity() - qty);
        item.setQuantity(remaining);
        item.setUpdatedAt(Instant.now());
        items.save(item);

        stockLogs.save(StockLog.taken(hubId, fridgeId, itemId, qty));
        return ItemDto.from(item);
    }

    /** Full history for one fridge, shown on the coordinator's "log" tab. */
    @GetMapping("/{fridgeId}/log")
    public List<StockLogDto> log(@PathVariable long hubId, @PathVariable long fridgeId) {
        return stockLogs.findByHubIdAndFridgeIdOrderByCreatedAtDesc(hubId, fridgeId)
            .stream()
            .map(StockLogDto::from)
            .toList();
    }

    /** Dashboard header: what the hub has rescued so far, by category and fridge. */
    @GetMapping("/summary")
    public List<CategorySummary> summary(@PathVariable long hubId) {
        return jdbc.query(
            "SELECT f.name AS fridge, i.category, sum(l.qty_in) AS donated, sum(l.qty_out) AS taken, "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l.created_at - i.dropped_at)) AS median_secs "
                + "FROM stock_logs l "
                + "JOIN fridge_items i ON i.id = l.item_id "
                + "JOIN fridges f ON f.id = l.fridge_id "
                + "WHERE l.hub_id = ? "
                + "GROUP BY f.name, i.category "
                + "ORDER BY donated DESC",
            (rs, i) -> new CategorySummary(
                rs.getString("fridge"),
                rs.getString("category"),
                rs.getLong("donated"),
                rs.getLong("taken"),
                rs.getDouble("median_secs")),
            hubId);
    }

    public record CategorySummary(String fridge, String category, long donated, long taken, double medianSecondsOnShelf) {}
}
