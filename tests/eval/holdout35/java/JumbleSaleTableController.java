// Stallholders claim tables for the village hall jumble sale. Each hall committee is its own
// tenant (hall_id); HallContext resolves it from the signed-in committee member or stallholder.
// hall-bookings runs on 3 instances, so the claim limiter counts in Redis, not in the JVM.

@RestController
@RequestMapping("/api/sales/{saleId}/tables")
@RequiredArgsConstructor
@Slf4j
public class JumbleSaleTableController {

    private static final int CLAIMS_PER_HOUR = 5;
    private static final int PAGE_SIZE = 50;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final HallContext hall;

    public record SaleTable(int tableNo, String position, boolean hasPower, Long stallholderId) {}

    @GetMapping
    public List<SaleTable> tables(@PathVariable long saleId,
                                  @RequestParam(defaultValue = "0") int afterTableNo) {
        return jdbc.query("""
                SELECT table_no, position, has_power, stallholder_id
                  FROM sale_tables
                 WHERE hall_id = ? AND sale_id = ? AND table_no > ?
                 ORDER BY table_no
                 LIMIT ?
                """,
                (rs, i) -> new SaleTable(rs.getInt("table_no"), rs.getString("position"),
                        rs.getBoolean("has_power"), (Long) rs.getObject("stallholder_id")),
                hall.currentHallId(), saleId, afterTableNo, PAGE_SIZE);
    }

    @PostMapping("/{tableNo}/claim")
    public ResponseEntity<?> claim(@PathVariable long saleId, @PathVariable int tableNo,
                                   @AuthenticationPrincipal Stallholder me) {
        String limiterKey = "claims:" + hall.currentHallId() + ":" + me.getId();
        Long claimsThisHour = redis.opsForValue().increment(limiterKey);
        if (claimsThisHour != null && claimsThisHour == 1L) {
            redis.expire(limiterKey, Duration.ofHours(1));
        }
        if (claimsThisHour != null && claimsThisHour > CLAIMS_PER_HOUR) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(Map.of("error", "You've claimed a lot of tables this hour; ask the committee"));
        }

        // Only succeeds if nobody holds the table yet; the row count tells us who won.
        int claimed = jdbc.update("""
                UPDATE sale_tables
                   SET stallholder_id = ?, claimed_at = now()
                 WHERE hall_id = ? AND sale_id = ? AND table_no = ? AND stallholder_id IS NULL
                """, me.getId(), hall.currentHallId(), saleId, tableNo);

        if (claimed == 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "Table " + tableNo + " has already been taken"));
        }
        log.info("Stallholder {} claimed table {} for sale {}", me.getId(), tableNo, saleId);
        return ResponseEntity.ok(Map.of("tableNo", tableNo, "stallholderId", me.getId()));
    }

    @DeleteMapping("/{tableNo}/claim")
    public ResponseEntity<Void> release(@PathVariable long saleId, @PathVariable int tableNo,
                                        @AuthenticationPrincipal Stallholder me) {
        jdbc.update("""
                UPDATE sale_tables SET stallholder_id = NULL, claimed_at = NULL
                 WHERE hall_id = ? AND sale_id = ? AND table_no = ? AND stallholder_id = ?
                """, hall.currentHallId(), saleId, tableNo, me.getId());
        return ResponseEntity.noContent().build();
    }
}
