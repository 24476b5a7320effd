// ClubStandingsService.java -- chess club web app (Spring Boot, Redis via spring-data-redis)
// Serves the club standings table and the rating distribution chart on the members' home page.

@Service
public class ClubStandingsService {

    private static final Duration STANDINGS_TTL = Duration.ofMinutes(10);
    private static final Duration HISTOGRAM_TTL = Duration.ofMinutes(5);

    private final StringRedisTemplate redis;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public ClubStandingsService(StringRedisTemplate redis, NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Current season standings for the club. Every member sees the same table;
     * the UI highlights the viewer's own row client-side.
     */
    public List<StandingRow> standingsFor(long clubId, long viewerMemberId) throws JsonProcessingException {
        String cacheKey = "standings:" + clubId + ":member:" + viewerMemberId;
        String cached = redis.opsForValue().get(cacheKey);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<List<StandingRow>>() {});
        }

        List<StandingRow> rows = jdbc.query(
                "SELECT m.id, m.display_name, r.rating, r.games_played, r.points "
                        + "FROM season_ratings r JOIN members m ON m.id = r.member_id "
                        + "WHERE r.club_id = :clubId AND r.season_id = current_season(:clubId) "
                        + "ORDER BY r.points DESC, r.rating DESC LIMIT 200",
                Map.of("clubId", clubId),
                (rs, i) -> new StandingRow(i + 1, rs.getLong("id"), rs.getString("display_name"),
                        rs.getInt("rating"), rs.getInt("games_played"), rs.getBigDecimal("points")));

        redis.opsForValue().set(cacheKey, json.writeValueAsString(rows), STANDINGS_TTL);
        return rows;
    }

    /**
     * Rating distribution across all rated games the club has ever recorded,
     * in 100-point buckets, for the chart next to the standings.
     */
    public Map<Integer, Long> ratingHistogram(long clubId) throws JsonProcessingException {
        String key = "rating-histogram:" + clubId;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return json.readValue(cached, new TypeReference<Map<Integer, Long>>() {});
        }

        // replays every game's rating change; ~2.5 s on the big clubs
        Map<Integer, Long> buckets = new TreeMap<>();
        jdbc.query(
                "SELECT (floor(rc.rating_after / 100) * 100)::int AS bucket, COUNT(DISTINCT rc.member_id) AS players "
                        + "FROM rating_changes rc JOIN games g ON g.id = rc.game_id "
                        + "WHERE g.club_id = :clubId AND g.rated "
                        + "GROUP BY 1 ORDER BY 1",
                Map.of("clubId", clubId),
                rs -> { buckets.put(rs.getInt("bucket"), rs.getLong("players")); });

        redis.opsForValue().set(key, json.writeValueAsString(buckets), HISTOGRAM_TTL);
        return buckets;
    }

    public record StandingRow(int position, long memberId, String name, int rating, int gamesPlayed,
                              java.math.BigDecimal points) {}
}
