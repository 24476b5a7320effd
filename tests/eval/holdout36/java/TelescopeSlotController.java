package uk.darkskypark.observatory.web;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Public booking API for the dark-sky observatory's telescope slots.
 *
 * Deployed as 3 replicas behind the park's ingress (see deploy/observatory/values.yaml),
 * so visitors on clear nights are spread across instances.
 */
@RestController
@RequestMapping("/api/telescope")
public class TelescopeSlotController {

    private static final int MAX_REQUESTS_PER_MINUTE = 20;
    private static final long WINDOW_MILLIS = 60_000L;

    // client -> timestamps of their recent slot requests
    private final Map<String, Deque<Long>> recentRequests = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final SlotRequestService slotRequests;

    public TelescopeSlotController(JdbcTemplate jdbc, SlotRequestService slotRequests) {
        this.jdbc = jdbc;
        this.slotRequests = slotRequests;
    }

    /** Slots for one night, e.g. GET /api/telescope/nights/2024-11-02/slots */
    @GetMapping("/nights/{night}/slots")
    public List<SlotView> slotsForNight(@PathVariable @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate night) {
        return jdbc.query(
                "SELECT id, telescope_name, starts_at, ends_at, status FROM telescope_slots WHERE night = ? ORDER BY starts_at",
                new DataClassRowMapper<>(SlotView.class), night);
    }

    /** Visitors ask for a slot; the duty astronomer approves requests from the admin page. */
    @PostMapping("/slots/{slotId}/requests")
    public ResponseEntity<Map<String, Object>> requestSlot(@PathVariable long slotId,
                                                           @RequestBody SlotRequestForm form,
                                                           HttpServletRequest request) {
        String client = Optional.ofNullable(request.getHeader("X-Forwarded-For"))
                .map(header -> header.split(",")[0].trim())
                .orElse(request.getRemoteAddr());

        if (!allow(client)) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(Map.of("error", "Too many requests, try again in a minute"));
        }

        long requestId = slotRequests.submit(slotId, form.visitorName(), form.email(), form.targetObject());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("requestId", requestId));
    }

    /** Feeds the "recent requests" table on the volunteers' screen. */
    @GetMapping("/requests")
    public List<SlotRequestView> allRequests() {
        return jdbc.query(
                "SELECT r.id, r.slot_id, r.visitor_name, r.target_object, r.status, r.created_at FROM slot_requests r ORDER BY r.created_at DESC",
                new DataClassRowMapper<>(SlotRequestView.class));
    }

    private boolean allow(String client) {
        long now = System.currentTimeMillis();
        Deque<Long> window = recentRequests.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() > WINDOW_MILLIS) {
                window.pollFirst();
            }
            if (window.size() >= MAX_REQUESTS_PER_MINUTE) {
                return false;
            }
            window.addLast(now);
            return true;
        }
    }

    public record SlotView(long id, String telescopeName, java.time.OffsetDateTime startsAt,
                           java.time.OffsetDateTime endsAt, String status) {}

    public record SlotRequestView(long id, long slotId, String visitorName, String targetObject,
                                  String status, java.time.OffsetDateTime createdAt) {}

    public record SlotRequestForm(String visitorName, String email, String targetObject) {}
}
