package net.skylog.observations.web;

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
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * SkyLog hosts observation logs for many astronomy societies; every table
 * carries society_id. Members log sessions (target, seeing, transparency,
 * eyepiece) and can have an astrophoto plate-solved.
 */
@RestController
@RequestMapping("/api/societies/{societyId}")
public class StargazingObservationController {

    private static final Logger log = LoggerFactory.getLogger(StargazingObservationController.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final WebhookVerifier verifier;
    private final String plateSolverUrl;

    public StargazingObservationController(NamedParameterJdbcTemplate jdbc, WebhookVerifier verifier,
                                           @Value("${platesolver.url}") String plateSolverUrl) {
        this.jdbc = jdbc;
        this.verifier = verifier;
        this.plateSolverUrl = plateSolverUrl;
    }

    @GetMapping("/observations")
    public List<Map<String, Object>> list(@PathVariable long societyId,
                                          @RequestParam(defaultValue = "0") int page) {
        return jdbc.queryForList(
                "SELECT id, observer_id, target, observed_at, seeing, transparency FROM observations "
                        + "WHERE society_id = :society ORDER BY observed_at DESC LIMIT 50 OFFSET :offset",
                Map.of("society", societyId, "offset", Math.max(page, 0) * 50));
    }

    @GetMapping("/observations/{obsId}")
    public Map<String, Object> get(@PathVariable long societyId, @PathVariable long obsId) {
        return jdbc.queryForMap("SELECT id, observer_id, target, observed_at, notes, photo_url FROM observations WHERE id = :id",
                Map.of("id", obsId));
    }

    @PostMapping("/observations/{obsId}/plate-solve")
    public ResponseEntity<String> plateSolve(@PathVariable long societyId, @PathVariable long obsId) throws Exception {
        String photoUrl = jdbc.queryForObject(
                "SELECT photo_url FROM observations WHERE id = :id AND society_id = :society",
                Map.of("id", obsId, "society", societyId), String.class);

        HttpClient solver = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(plateSolverUrl + "/solve"))
                .timeout(Duration.ofSeconds(25))
                .POST(HttpRequest.BodyPublishers.ofString("{\"image_url\":\"" + photoUrl + "\"}"))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> resp = solver.send(req, HttpResponse.BodyHandlers.ofString());
        return ResponseEntity.status(resp.statusCode()).body(resp.body());
    }

    /** Membership dues paid through the society's payment provider. */
    @PostMapping("/webhooks/dues")
    @Transactional
    public ResponseEntity<Void> onDuesPaid(@PathVariable long societyId, @RequestBody DuesEvent event,
                                           @RequestHeader("X-Provider-Signature") String signature) {
        if (!verifier.isValid(event, signature)) {
            return ResponseEntity.status(401).build();
        }
        jdbc.update("""
                UPDATE memberships
                   SET paid_until = GREATEST(paid_until, CURRENT_DATE) + INTERVAL '1 year'
                 WHERE society_id = :society AND member_id = :member
                """, Map.of("society", societyId, "member", event.memberId()));
        jdbc.update("""
                INSERT INTO dues_ledger (society_id, member_id, amount_pence, provider_event_id, received_at)
                VALUES (:society, :member, :amount, :eventId, now())
                """, Map.of("society", societyId, "member", event.memberId(),
                        "amount", event.amountPence(), "eventId", event.id()));
        log.info("dues paid: society={} member={} event={}", societyId, event.memberId(), event.id());
        return ResponseEntity.ok().build();
    }

    public record DuesEvent(String id, String type, long memberId, long amountPence) {}
}
