// Sourdough starter exchange: bakers list spare starter, others claim a jar.
// Runs on 4 instances behind the load balancer; Redis and Postgres are shared.

@RestController
@RequestMapping("/api/starters")
public class SourdoughExchangeController {

    private static final int CLAIMS_PER_HOUR = 5;
    private static final int PAGE_SIZE = 30;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;

    public SourdoughExchangeController(JdbcTemplate jdbc, StringRedisTemplate redis) {
        this.jdbc = jdbc;
        this.redis = redis;
    }

    /** Open offers near a city, newest first. Pass the last id seen to get the next page. */
    @GetMapping
    public List<StarterOffer> openOffers(@RequestParam String city,
                                         @RequestParam(required = false) Long beforeId) {
        long cursor = beforeId != null ? beforeId : Long.MAX_VALUE;
        return jdbc.query(
                "SELECT id, baker_name, starter_name, hydration_pct, flour, pickup_area FROM starter_offers "
                        + "WHERE status = 'OPEN' AND city = ? AND id < ? ORDER BY id DESC LIMIT ?",
                (rs, i) -> new StarterOffer(rs.getLong("id"), rs.getString("baker_name"),
                        rs.getString("starter_name"), rs.getInt("hydration_pct"),
                        rs.getString("flour"), rs.getString("pickup_area")),
                city, cursor, PAGE_SIZE);
    }

    @PostMapping("/{offerId}/claim")
    public ResponseEntity<?> claim(@PathVariable long offerId, @AuthenticationPrincipal BakerPrincipal baker) {
        if (!withinClaimLimit(baker.id())) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(Map.of("error", "claim limit reached, try again later"));
        }

        // Single statement: only the first claimer flips OPEN -> CLAIMED.
        int updated = jdbc.update(
                "UPDATE starter_offers SET status = 'CLAIMED', claimed_by = ?, claimed_at = now() "
                        + "WHERE id = ? AND status = 'OPEN' AND baker_id <> ?",
                baker.id(), offerId, baker.id());
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "this starter has already been claimed"));
        }
        return ResponseEntity.ok(Map.of("offerId", offerId, "status", "CLAIMED"));
    }

    /**
     * Fixed one-hour window per signed-in baker. The counter lives in Redis so every
     * instance sees the same count; INCR is atomic and the key expires on its own.
     */
    private boolean withinClaimLimit(long bakerId) {
        String key = "claims:" + bakerId + ":" + (System.currentTimeMillis() / 3_600_000L);
        Long count = redis.opsForValue().increment(key);
        if (count != null && count == 1L) {
            redis.expire(key, Duration.ofHours(1));
        }
        return count != null && count <= CLAIMS_PER_HOUR;
    }

    public record StarterOffer(long id, String bakerName, String starterName, int hydrationPct,
                               String flour, String pickupArea) {}
}
