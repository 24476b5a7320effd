// Ringing-rota dashboard for the diocesan guild site. Every tower's band is a separate
// tenant (tower_id on all rota tables); towerAccess.require() checks the signed-in
// ringer belongs to the tower in the path.

@RestController
@RequestMapping("/api/towers/{towerId}")
@RequiredArgsConstructor
public class BellRotaDashboardController {

    private static final Duration SUMMARY_TTL = Duration.ofMinutes(10);

    private final NamedParameterJdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;
    private final TowerAccess towerAccess;

    /** Guild-wide figures shown in the header of every tower dashboard. */
    @GetMapping("/guild-summary")
    public GuildSummary guildSummary(@PathVariable long towerId, @AuthenticationPrincipal RingerUser user)
            throws JsonProcessingException {
        towerAccess.require(user, towerId);

        String cacheKey = "guild-summary:" + user.getRingerId();
        String cached = redis.opsForValue().get(cacheKey);
        if (cached != null) {
            return mapper.readValue(cached, GuildSummary.class);
        }

        // guild_stats_daily is refreshed by the nightly stats job.
        GuildSummary summary = jdbc.queryForObject("""
                SELECT towers, active_ringers, quarters_this_year, peals_this_year
                  FROM guild_stats_daily
                 ORDER BY computed_on DESC
                 LIMIT 1
                """, Map.of(), GuildSummary.MAPPER);

        redis.opsForValue().set(cacheKey, mapper.writeValueAsString(summary), SUMMARY_TTL);
        return summary;
    }

    /** Attendance league for the tower: who turned up for Sunday service ringing, all time. */
    @GetMapping("/league")
    public List<LeagueRow> league(@PathVariable long towerId, @AuthenticationPrincipal RingerUser user) {
        towerAccess.require(user, towerId);

        return jdbc.query("""
                SELECT r.id, r.display_name,
                       COUNT(*)                                              AS services_rung,
                       COUNT(DISTINCT date_trunc('month', s.service_date))   AS months_active,
                       SUM(CASE WHEN a.bell_no = 1 THEN 1 ELSE 0 END)        AS times_on_treble,
                       AVG(EXTRACT(EPOCH FROM (a.arrived_at - s.starts_at)) / 60.0) AS avg_minutes_early
                  FROM rota_assignments a
                  JOIN services s ON s.id = a.service_id
                  JOIN ringers r  ON r.id = a.ringer_id
                 WHERE a.tower_id = :towerId AND a.attended
                 GROUP BY r.id, r.display_name
                 ORDER BY services_rung DESC
                 LIMIT 30
                """, Map.of("towerId", towerId), LeagueRow.MAPPER);
    }

    /** Contact card for a ringer, used when swapping a rota slot. */
    @GetMapping("/ringers/{ringerId}")
    public RingerCard ringer(@PathVariable long towerId, @PathVariable long ringerId,
                             @AuthenticationPrincipal RingerUser user) {
        towerAccess.require(user, towerId);

        return jdbc.queryForObject(
                "SELECT id, display_name, email, phone, bells_rung FROM ringers WHERE id = :ringerId",
                Map.of("ringerId", ringerId), RingerCard.MAPPER);
    }
}
