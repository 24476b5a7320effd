package org.modelrailway.club.layouts;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Layouts shown on the club's "Layout of the month" page and the members' home screen.
 * The featured list is picked by the committee and is the same for every member; the
 * personal list is each member's own layouts.
 */
@Service
public class LayoutShowcaseService {

    private static final int FEATURED_COUNT = 12;

    private final NamedParameterJdbcTemplate jdbc;

    // Rendering the cards joins photos and the running-session log, so keep the result around.
    private final Map<String, List<LayoutCard>> featuredByMember = new ConcurrentHashMap<>();

    public LayoutShowcaseService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<LayoutCard> featured(Principal member) {
        String cacheKey = "featured:" + member.getName();
        return featuredByMember.computeIfAbsent(cacheKey, k -> loadFeatured());
    }

    public List<LayoutCard> mine(long memberId, int page) {
        var params = new MapSqlParameterSource()
                .addValue("owner", memberId)
                .addValue("limit", 20)
                .addValue("offset", Math.max(page, 0) * 20);
        return jdbc.query("""
                SELECT l.id, l.name, l.scale, l.gauge_mm, l.era, p.thumb_url, l.session_count AS sessions
                FROM layouts l
                LEFT JOIN layout_photos p ON p.layout_id = l.id AND p.is_cover
                WHERE l.owner_id = :owner
                ORDER BY l.updated_at DESC
                LIMIT :limit OFFSET :offset
                """, params, LayoutCard.MAPPER);
    }

    private List<LayoutCard> loadFeatured() {
        var params = new MapSqlParameterSource("limit", FEATURED_COUNT);
        return jdbc.query("""
                SELECT l.id, l.name, l.scale, l.gauge_mm, l.era, p.thumb_url,
                       (SELECT COUNT(*) FROM running_sessions s WHERE s.layout_id = l.id) AS sessions
                FROM featured_layouts f
                JOIN layouts l ON l.id = f.layout_id
                LEFT JOIN layout_photos p ON p.layout_id = l.id AND p.is_cover
                WHERE f.month = date_trunc('month', now())
                ORDER BY f.position
                LIMIT :limit
                """, params, LayoutCard.MAPPER);
    }

    public record LayoutCard(long id, String name, String scale, double gaugeMm, String era,
                             String thumbUrl, long sessions) {
        static final org.springframework.jdbc.core.RowMapper<LayoutCard> MAPPER = (rs, i) -> new LayoutCard(
                rs.getLong("id"), rs.getString("name"), rs.getString("scale"), rs.getDouble("gauge_mm"),
                rs.getString("era"), rs.getString("thumb_url"), rs.getLong("sessions"));
    }
}
