package com.powderhouse.rentals.fitting;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/shops/{shopId}/fittings")
public class FittingController {

    public record Fitting(long id, long shopId, String customerName, int mondoSize,
                          int weightKg, String skierType, LocalDateTime scheduledAt) {}

    public record DinResult(double din, String note) {}

    private static final int MAX_PAGE = 100;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    // DIN calculator lives in the bindings service; one client for the whole app
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public FittingController(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    @GetMapping
    public List<Fitting> list(@PathVariable long shopId,
                              @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "25") int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE);
        return jdbc.query("""
                SELECT id, shop_id, customer_name, mondo_size, weight_kg, skier_type, scheduled_at
                FROM fittings
                WHERE shop_id = ?
                ORDER BY scheduled_at DESC
                LIMIT ? OFFSET ?
                """, new DataClassRowMapper<>(Fitting.class), shopId, limit, page * limit);
    }

    @GetMapping("/{id}")
    public Fitting get(@PathVariable long shopId, @PathVariable long id) {
        return jdbc.query("""
                SELECT id, shop_id, customer_name, mondo_size, weight_kg, skier_type, scheduled_at
                FROM fittings WHERE id = ? AND shop_id = ?
                """, new DataClassRowMapper<>(Fitting.class), id, shopId)
                .stream().findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    /** Takes one pair of boots in the fitting's mondo size off the shelf. */
    @PostMapping("/{id}/boots")
    @Transactional
    public void assignBoots(@PathVariable long shopId, @PathVariable long id) {
        Fitting f = get(shopId, id);
        int updated = jdbc.update("""
                UPDATE boot_inventory
                   SET available = available - 1
                 WHERE shop_id = ? AND mondo_size = ? AND available > 0
                """, shopId, f.mondoSize());
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "No boots left in size " + f.mondoSize());
        }
        jdbc.update("UPDATE fittings SET boots_assigned = true WHERE id = ? AND shop_id = ?", id, shopId);
    }

    @GetMapping("/{id}/din")
    public DinResult din(@PathVariable long shopId, @PathVariable long id) throws Exception {
        Fitting f = get(shopId, id);
        HttpRequest req = HttpRequest.newBuilder(URI.create(
                        "http://bindings-svc/din?weight=%d&type=%s&mondo=%d"
                                .formatted(f.weightKg(), f.skierType(), f.mondoSize())))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "bindings-svc " + resp.statusCode());
        }
        return mapper.readValue(resp.body(), DinResult.class);
    }
}
