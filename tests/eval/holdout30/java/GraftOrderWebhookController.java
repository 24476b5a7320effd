package uk.heritagepippins.orders.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import uk.heritagepippins.orders.payments.SignatureVerifier;

/**
 * Payment provider callback for heritage apple grafting orders. Once an order is
 * paid we queue one grafting job per variety/rootstock line, commit the scion
 * wood, and tell the grafting bench tablet app so the winter grafting list is
 * up to date.
 */
@RestController
@RequestMapping("/hooks/payments")
public class GraftOrderWebhookController {

    private static final Logger log = LoggerFactory.getLogger(GraftOrderWebhookController.class);
    private static final int BENCH_ATTEMPTS = 4;

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final SignatureVerifier verifier;

    @Value("${bench.base-url}")
    private String benchBaseUrl;

    public GraftOrderWebhookController(JdbcTemplate jdbc, ObjectMapper mapper, SignatureVerifier verifier) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.verifier = verifier;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Void> onPaymentEvent(@RequestHeader("X-Signature") String signature, @RequestBody String body) throws IOException, InterruptedException {
        if (!verifier.isValid(body, signature)) {
            return ResponseEntity.status(401).build();
        }
        JsonNode event = mapper.readTree(body);
        if (!"checkout.completed".equals(event.path("type").asText())) {
            return ResponseEntity.ok().build();
        }
        long orderId = event.path("data").path("metadata").path("order_id").asLong();

        jdbc.update("UPDATE graft_orders SET status = 'PAID', paid_at = now(), amount_pence = ? WHERE id = ?",
                event.path("data").path("amount").asLong(), orderId);

        List<Map<String, Object>> lines = jdbc.queryForList(
                "SELECT variety_id, rootstock, quantity FROM graft_order_lines WHERE order_id = ?", orderId);

        jdbc.batchUpdate("INSERT INTO graft_jobs (order_id, variety_id, rootstock, quantity, status) VALUES (?, ?, ?, ?, 'QUEUED')",
                lines.stream().map(l -> new Object[] {orderId, l.get("variety_id"), l.get("rootstock"), l.get("quantity")}).toList());
        jdbc.batchUpdate("UPDATE scion_stock SET committed_sticks = committed_sticks + ? WHERE variety_id = ?",
                lines.stream().map(l -> new Object[] {l.get("quantity"), l.get("variety_id")}).toList());

        notifyBench(orderId, lines);
        return ResponseEntity.ok().build();
    }

    private void notifyBench(long orderId, List<Map<String, Object>> lines) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(benchBaseUrl + "/api/grafting-list"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(Map.of("orderId", orderId, "lines", lines))))
                .build();

        for (int attempt = 1; attempt <= BENCH_ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> resp = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() < 500) {
                    return;
                }
                log.warn("grafting bench returned {} for order {} (attempt {})", resp.statusCode(), orderId, attempt);
            } catch (IOException e) {
                log.warn("grafting bench unreachable for order {} (attempt {})", orderId, attempt, e);
            }
        }
        throw new IOException("grafting bench did not accept order " + orderId + " after " + BENCH_ATTEMPTS + " attempts");
    }
}
