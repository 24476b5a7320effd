@Service
public class ChoirSheetMusicLibraryService {

    // Hosted for many choirs; choir_id comes from the signed-in librarian's membership.
    private final NamedParameterJdbcTemplate jdbc;

    public ChoirSheetMusicLibraryService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Lends out copies of a score for a concert season. The score row is locked
     * while we check and decrement, so two librarians handing out the last
     * copies of the Fauré Requiem at the same time are serialised.
     */
    @Transactional
    public void lendCopies(long choirId, long scoreId, long singerId, int copies) {
        Map<String, Object> key = Map.of("choir", choirId, "score", scoreId);
        Integer available = jdbc.queryForObject(
                "SELECT copies_available FROM scores WHERE id = :score AND choir_id = :choir FOR UPDATE",
                key, Integer.class);
        if (available == null || available < copies) {
            throw new NotEnoughCopiesException(scoreId, available == null ? 0 : available);
        }
        jdbc.update("UPDATE scores SET copies_available = :left WHERE id = :score AND choir_id = :choir",
                Map.of("left", available - copies, "score", scoreId, "choir", choirId));
        jdbc.update("""
                INSERT INTO score_loans (choir_id, score_id, singer_id, copies, lent_at)
                VALUES (:choir, :score, :singer, :copies, now())
                """, Map.of("choir", choirId, "score", scoreId, "singer", singerId, "copies", copies));
    }

    /** One page of the catalogue with composer names filled in. */
    public List<CatalogueEntry> cataloguePage(long choirId, String voicing, int page) {
        List<Map<String, Object>> scores = jdbc.queryForList("""
                SELECT id, title, composer_id, voicing, copies_available
                  FROM scores
                 WHERE choir_id = :choir AND voicing = :voicing
                 ORDER BY title
                 LIMIT 40 OFFSET :offset
                """, Map.of("choir", choirId, "voicing", voicing, "offset", Math.max(page, 0) * 40));
        if (scores.isEmpty()) {
            return List.of();
        }

        // Composers are shared reference data; fetch the whole page's worth in one query.
        Set<Long> composerIds = scores.stream()
                .map(r -> ((Number) r.get("composer_id")).longValue())
                .collect(Collectors.toSet());
        Map<Long, String> composerNames = new HashMap<>();
        jdbc.query("SELECT id, display_name FROM composers WHERE id IN (:ids)",
                Map.of("ids", composerIds),
                rs -> { composerNames.put(rs.getLong("id"), rs.getString("display_name")); });

        List<CatalogueEntry> out = new ArrayList<>(scores.size());
        for (Map<String, Object> s : scores) {
            long composerId = ((Number) s.get("composer_id")).longValue();
            out.add(new CatalogueEntry(
                    ((Number) s.get("id")).longValue(),
                    (String) s.get("title"),
                    composerNames.getOrDefault(composerId, "Anon."),
                    (String) s.get("voicing"),
                    ((Number) s.get("copies_available")).intValue()));
        }
        return out;
    }

    /** Copies a singer still has out, for the "return your music" reminder. */
    public List<Map<String, Object>> outstandingLoans(long choirId, long singerId) {
        return jdbc.queryForList("""
                SELECT l.id, s.title, l.copies, l.lent_at
                  FROM score_loans l
                  JOIN scores s ON s.id = l.score_id AND s.choir_id = l.choir_id
                 WHERE l.choir_id = :choir AND l.singer_id = :singer AND l.returned_at IS NULL
                 ORDER BY l.lent_at
                 LIMIT 100
                """, Map.of("choir", choirId, "singer", singerId));
    }

    public record CatalogueEntry(long id, String title, String composer, String voicing, int copiesAvailable) {}
}
