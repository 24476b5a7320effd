// tablebook-api -- ReservationHoldController (k8s: deployment/tablebook-api, replicas: 3)
// guests get a 10 min hold on a slot while they fill in the booking form

@RestController
@RequestMapping("/api/restaurants/{restaurantId}/holds")
public class ReservationHoldController {

    private static final int MAX_HOLDS_PER_MINUTE = 5;

    private final Map<String, Deque<Long>> holdAttempts = new ConcurrentHashMap<>();
    private final NamedParameterJdbcTemplate jdbc;

    public ReservationHoldController(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<HoldResponse> hold(@PathVariable long restaurantId,
                                             @RequestBody @Valid HoldRequest req,
                                             HttpServletRequest http) {
        String ip = Optional.ofNullable(http.getHeader("X-Forwarded-For"))
                .map(h -> h.split(",")[0].trim())
                .orElse(http.getRemoteAddr());
        if (!allow(ip)) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }

        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("rid", restaurantId)
                .addValue("slot", req.slotId())
                .addValue("party", req.partySize())
                .addValue("email", req.email())
                .addValue("id", UUID.randomUUID());

        // reserve capacity atomically; 0 rows => slot full
        int updated = jdbc.update("""
                UPDATE slots SET held_covers = held_covers + :party
                WHERE id = :slot AND restaurant_id = :rid AND held_covers + :party <= capacity
                """, p);
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }

        jdbc.update("""
                INSERT INTO table_holds (id, restaurant_id, slot_id, party_size, email, expires_at)
                VALUES (:id, :rid, :slot, :party, :email, now() + interval '10 minutes')
                """, p);
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new HoldResponse((UUID) p.getValue("id"), Instant.now().plus(Duration.ofMinutes(10))));
    }

    @PostMapping("/{holdId}/confirm")
    public ResponseEntity<Void> confirm(@PathVariable long restaurantId, @PathVariable UUID holdId) {
        int n = jdbc.update("""
                UPDATE table_holds SET confirmed_at = now()
                WHERE id = :id AND restaurant_id = :rid AND confirmed_at IS NULL AND expires_at > now()
                """, Map.of("id", holdId, "rid", restaurantId));
        return n == 1 ? ResponseEntity.noContent().build() : ResponseEntity.status(HttpStatus.GONE).build();
    }

    private boolean allow(String key) {
        long now = System.currentTimeMillis();
        Deque<Long> q = holdAttempts.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && now - q.peekFirst() > 60_000) {
                q.pollFirst();
            }
            if (q.size() >= MAX_HOLDS_PER_MINUTE) {
                return false;
            }
            q.addLast(now);
            return true;
        }
    }
