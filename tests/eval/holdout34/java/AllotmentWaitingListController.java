package org.parishplots.allotments.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.parishplots.allotments.security.CurrentCouncil;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Waiting-list endpoints for the allotment portal.
 *
 * Several parish councils share one deployment; every table carries a parish_id
 * and the signed-in clerk's council is resolved from the session by CurrentCouncil.
 */
@RestController
@RequestMapping("/api/allotments")
public class AllotmentWaitingListController {

    private static final int OFFER_WINDOW_DAYS = 14;

    private final JdbcTemplate jdbc;
    private final CurrentCouncil currentCouncil;

    public AllotmentWaitingListController(JdbcTemplate jdbc, CurrentCouncil currentCouncil) {
        this.jdbc = jdbc;
        this.currentCouncil = currentCouncil;
    }

    public record JoinRequest(String householdName, String email, String requestedSize) {}

    // Clerk view: the next 50 households in the queue for this parish.
    @GetMapping("/waiting-list")
    public List<Map<String, Object>> waitingList() {
        long parishId = currentCouncil.parishId();
        return jdbc.queryForList(
                "SELECT id, household_name, requested_size, joined_on FROM waiting_list_entries "
                        + "WHERE parish_id = ? AND status = 'WAITING' ORDER BY joined_on LIMIT 50",
                parishId);
    }

    // Clerk opens a single entry to see contact details and notes.
    @GetMapping("/waiting-list/{entryId}")
    public ResponseEntity<Map<String, Object>> entry(@PathVariable long entryId) {
        try {
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT id, household_name, email, phone, notes, status FROM waiting_list_entries WHERE id = ?",
                    entryId);
            return ResponseEntity.ok(row);
        } catch (EmptyResultDataAccessException e) {
            return ResponseEntity.notFound().build();
        }
    }

    // Resident joins the queue for their parish (one active entry per email address).
    @PostMapping("/waiting-list")
    @Transactional
    public ResponseEntity<?> join(@RequestBody JoinRequest req) {
        long parishId = currentCouncil.parishId();
        Integer existing = jdbc.queryForObject(
                "SELECT COUNT(*) FROM waiting_list_entries WHERE parish_id = ? AND email = ? AND status = 'WAITING'",
                Integer.class, parishId, req.email().trim().toLowerCase());
        if (existing != null && existing > 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "This address is already on the waiting list"));
        }
        jdbc.update(
                "INSERT INTO waiting_list_entries (parish_id, household_name, email, requested_size, status, joined_on) "
                        + "VALUES (?, ?, ?, ?, 'WAITING', now())",
                parishId, req.householdName(), req.email().trim().toLowerCase(), req.requestedSize());
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    // A plot has been vacated: offer it to the household at the head of the queue.
    // They have OFFER_WINDOW_DAYS to accept before the clerk moves on to the next one.
    @PostMapping("/plots/{plotId}/offer")
    @Transactional
    public ResponseEntity<?> offerPlot(@PathVariable long plotId) {
        long parishId = currentCouncil.parishId();
        List<Map<String, Object>> next = jdbc.queryForList(
                "SELECT id, email FROM waiting_list_entries WHERE parish_id = ? AND status = 'WAITING' "
                        + "ORDER BY joined_on LIMIT 1 FOR UPDATE SKIP LOCKED",
                parishId);
        if (next.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
        }
        long entryId = ((Number) next.get(0).get("id")).longValue();
        Instant expiresAt = Instant.now().plus(OFFER_WINDOW_DAYS, ChronoUnit.DAYS);

        jdbc.update("INSERT INTO plot_offers (parish_id, plot_id, entry_id, offered_at, expires_at) VALUES (?, ?, ?, now(), ?)",
                parishId, plotId, entryId, java.sql.Timestamp.from(expiresAt));
        jdbc.update("UPDATE waiting_list_entries SET status = 'OFFERED' WHERE id = ? AND parish_id = ?",
                entryId, parishId);

        return ResponseEntity.accepted().body(Map.of("entryId", entryId, "expiresAt", expiresAt.toString()));
    }

    // Resident accepts an offer from the link in their email.
    @PostMapping("/offers/{offerId}/accept")
    @Transactional
    public ResponseEntity<?> accept(@PathVariable long offerId) {
        long parishId = currentCouncil.parishId();
        int updated = jdbc.update(
                "UPDATE plot_offers SET accepted_at = now() "
                        + "WHERE id = ? AND parish_id = ? AND accepted_at IS NULL AND expires_at > now()",
                offerId, parishId);
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.GONE).body(Map.of("error", "Offer has expired or was already used"));
        }
        return ResponseEntity.ok(Map.of("accepted", true));
    }
}
