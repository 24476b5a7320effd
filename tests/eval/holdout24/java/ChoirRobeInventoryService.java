/**
 * Cassocks and surplices for the choir, hired out per term.
 *
 * The robing-room app is shared by several cathedrals; every row carries
 * cathedral_id and every statement here is scoped by it. Stock is kept as a
 * count per (garment, size) because the vestry does not number individual robes.
 */
@Service
public class ChoirRobeInventoryService {

    private static final int MAX_PAGE = 100;

    private final NamedParameterJdbcTemplate jdbc;

    public ChoirRobeInventoryService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Issue(long id, long choristerId, String garment, String size, Instant issuedAt) {}

    public static class OutOfStockException extends RuntimeException {
        public OutOfStockException(String garment, String size) {
            super("no " + garment + " left in size " + size);
        }
    }

    /** Issues one robe to a chorister; the stock check and decrement are one statement. */
    @Transactional
    public long issue(long cathedralId, long choristerId, String garment, String size) {
        MapSqlParameterSource p = new MapSqlParameterSource()
            .addValue("cathedralId", cathedralId)
            .addValue("choristerId", choristerId)
            .addValue("garment", garment)
            .addValue("size", size);

        int taken = jdbc.update(
            "UPDATE robe_stock SET available = available - 1 " +
            "WHERE cathedral_id = :cathedralId AND garment = :garment AND size = :size AND available > 0", p);
        if (taken == 0) {
            throw new OutOfStockException(garment, size);
        }

        return jdbc.queryForObject(
            "INSERT INTO robe_issues (cathedral_id, chorister_id, garment, size, issued_at) " +
            "VALUES (:cathedralId, :choristerId, :garment, :size, now()) RETURNING id", p, Long.class);
    }

    /** Marks an issue as returned; a second return of the same issue changes nothing. */
    @Transactional
    public boolean giveBack(long cathedralId, long issueId) {
        MapSqlParameterSource p = new MapSqlParameterSource()
            .addValue("cathedralId", cathedralId)
            .addValue("issueId", issueId);

        int closed = jdbc.update(
            "UPDATE robe_issues SET returned_at = now() " +
            "WHERE id = :issueId AND cathedral_id = :cathedralId AND returned_at IS NULL", p);
        if (closed == 0) {
            return false;
        }
        jdbc.update(
            "UPDATE robe_stock s SET available = s.available + 1 " +
            "FROM robe_issues i WHERE i.id = :issueId AND i.cathedral_id = :cathedralId " +
            "AND s.cathedral_id = i.cathedral_id AND s.garment = i.garment AND s.size = i.size", p);
        return true;
    }

    /** Robes still out, oldest first, for the end-of-term chase list. Keyset-paginated. */
    public List<Issue> outstanding(long cathedralId, long afterId, int pageSize) {
        MapSqlParameterSource p = new MapSqlParameterSource()
            .addValue("cathedralId", cathedralId)
            .addValue("afterId", afterId)
            .addValue("limit", Math.min(Math.max(pageSize, 1), MAX_PAGE));

        return jdbc.query(
            "SELECT id, chorister_id, garment, size, issued_at FROM robe_issues " +
            "WHERE cathedral_id = :cathedralId AND returned_at IS NULL AND id > :afterId " +
            "ORDER BY id LIMIT :limit",
            p,
            (rs, i) -> new Issue(rs.getLong("id"), rs.getLong("chorister_id"), rs.getString("garment"),
                rs.getString("size"), rs.getTimestamp("issued_at").toInstant()));
    }
}
