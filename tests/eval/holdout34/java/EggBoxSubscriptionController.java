package farm.brookendeggs.subscriptions;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Egg box subscriptions for the smallholding: customers pay monthly through
 * the card processor and collect a box from the honesty shed each week.
 */
@RestController
public class EggBoxSubscriptionController {

    private static final Logger log = LoggerFactory.getLogger(EggBoxSubscriptionController.class);

    // Published egress addresses of the card processor's webhook senders.
    private static final Set<String> PROCESSOR_IPS = Set.of("203.0.113.10", "203.0.113.11", "203.0.113.12");

    private static final int BOXES_PER_MONTH = 4;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper = new ObjectMapper();

    public EggBoxSubscriptionController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // Shed dashboard: everyone who has ever subscribed, newest first.
    @GetMapping("/api/subscriptions")
    public List<Map<String, Object>> allSubscriptions() {
        String sql = "SELECT s.id, c.name, c.email, s.box_size, s.boxes_remaining, s.status, s.started_on FROM egg_box_subscriptions s JOIN customers c ON c.id = s.customer_id ORDER BY s.started_on DESC";
        return jdbc.queryForList(sql);
    }

    // Collection from the shed: a customer taps their card on the tablet.
    @PostMapping("/api/subscriptions/{id}/collect")
    public ResponseEntity<?> collect(@PathVariable long id) {
        int updated = jdbc.update(
                "UPDATE egg_box_subscriptions SET boxes_remaining = boxes_remaining - 1 "
                        + "WHERE id = ? AND status = 'ACTIVE' AND boxes_remaining > 0", id);
        if (updated == 0) {
            return ResponseEntity.status(409).body(Map.of("error", "No boxes left this month"));
        }
        return ResponseEntity.ok(Map.of("collected", true));
    }

    @PostMapping("/webhooks/processor")
    @Transactional
    public ResponseEntity<Void> handleProcessorEvent(HttpServletRequest request, @RequestBody String payload) throws Exception {
        String sourceIp = request.getHeader("X-Forwarded-For");
        if (sourceIp == null || !PROCESSOR_IPS.contains(sourceIp.split(",")[0].trim())) {
            log.warn("rejected webhook from {}", sourceIp);
            return ResponseEntity.status(403).build();
        }

        JsonNode event = mapper.readTree(payload);
        String type = event.path("type").asText();
        JsonNode data = event.path("data").path("object");
        long subscriptionId = data.path("metadata").path("subscription_id").asLong();

        switch (type) {
            case "invoice.paid" -> {
                jdbc.update("UPDATE egg_box_subscriptions SET boxes_remaining = boxes_remaining + ?, status = 'ACTIVE' WHERE id = ?",
                        BOXES_PER_MONTH, subscriptionId);
                jdbc.update("INSERT INTO subscription_payments (subscription_id, amount_pence, paid_at) VALUES (?, ?, now())",
                        subscriptionId, data.path("amount_paid").asInt());
            }
            case "customer.subscription.deleted" ->
                    jdbc.update("UPDATE egg_box_subscriptions SET status = 'CANCELLED' WHERE id = ?", subscriptionId);
            default -> log.debug("ignoring processor event type {}", type);
        }
        return ResponseEntity.ok().build();
    }
}
