package org.signbridge.requests.web;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * BSL interpreter requests. Each booking agency is a tenant; GPs, courts and colleges
 * raise requests through the agency portal, which retries on network errors, so every
 * create call carries an Idempotency-Key.
 */
@RestController
@RequestMapping("/api/requests")
public class InterpreterRequestController {

    private static final RowMapper<RequestDto> MAPPER = (rs, i) -> new RequestDto(
            rs.getObject("id", UUID.class), rs.getString("setting"), rs.getString("language"),
            rs.getObject("needed_at", OffsetDateTime.class), rs.getInt("duration_min"), rs.getString("status"));

    private final JdbcTemplate jdbc;
    private final CurrentAgency currentAgency;

    public InterpreterRequestController(JdbcTemplate jdbc, CurrentAgency currentAgency) {
        this.jdbc = jdbc;
        this.currentAgency = currentAgency;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<RequestDto> create(@RequestHeader("Idempotency-Key") UUID idempotencyKey,
                                             @Valid @RequestBody NewRequest body) {
        long agencyId = currentAgency.id();
        List<RequestDto> created = jdbc.query("""
                INSERT INTO interpreter_requests
                    (id, agency_id, idempotency_key, setting, language, needed_at, duration_min, status)
                VALUES (gen_random_uuid(), ?, ?, ?, ?, ?, ?, 'OPEN')
                ON CONFLICT (agency_id, idempotency_key) DO NOTHING
                RETURNING id, setting, language, needed_at, duration_min, status
                """, MAPPER, agencyId, idempotencyKey, body.setting(), body.language(),
                body.neededAt(), body.durationMin());
        if (!created.isEmpty()) {
            return ResponseEntity.status(HttpStatus.CREATED).body(created.get(0));
        }
        // Same key seen before: replay the original result instead of creating a second request.
        RequestDto existing = jdbc.queryForObject("""
                SELECT id, setting, language, needed_at, duration_min, status
                FROM interpreter_requests
                WHERE agency_id = ? AND idempotency_key = ?
                """, MAPPER, agencyId, idempotencyKey);
        return ResponseEntity.ok(existing);
    }

    @GetMapping
    public List<RequestDto> list(@RequestParam(defaultValue = "OPEN") String status,
                                 @RequestParam(required = false) OffsetDateTime before,
                                 @RequestParam(defaultValue = "25") int size) {
        return jdbc.query("""
                SELECT id, setting, language, needed_at, duration_min, status
                FROM interpreter_requests
                WHERE agency_id = ? AND status = ? AND needed_at < ?
                ORDER BY needed_at DESC
                LIMIT ?
                """, MAPPER, currentAgency.id(), status,
                before != null ? before : OffsetDateTime.now().plusYears(1), Math.min(Math.max(size, 1), 100));
    }

    @GetMapping("/{id}")
    public RequestDto get(@PathVariable UUID id) {
        return jdbc.query("""
                SELECT id, setting, language, needed_at, duration_min, status
                FROM interpreter_requests
                WHERE id = ? AND agency_id = ?
                """, MAPPER, id, currentAgency.id())
                .stream().findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    public record NewRequest(String setting, String language, OffsetDateTime neededAt, int durationMin) {}
    public record RequestDto(UUID id, String setting, String language, OffsetDateTime neededAt,
                             int durationMin, String status) {}
}
