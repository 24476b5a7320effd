package org.heritageorchards.adopt.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import org.heritageorchards.adopt.tenancy.OrchardGroupContext;

/**
 * Tree adoptions for heritage orchards. Each orchard group (a trust or parish
 * orchard society) is a tenant; all tables carry orchard_group_id.
 */
@Service
public class OrchardAdoptionService {

    public record TreeCard(long treeId, String variety, String row, String adopterName, int yearPlanted) {}
    public record VarietyStats(String variety, int trees, int adopted) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final OrchardGroupContext tenant;

    // Variety stats are the same for every visitor of a group's public page.
    // Bounded and time-limited; Caffeine loads each key once even under concurrent misses.
    private final LoadingCache<Long, List<VarietyStats>> varietyStats;

    public OrchardAdoptionService(NamedParameterJdbcTemplate jdbc, OrchardGroupContext tenant) {
        this.jdbc = jdbc;
        this.tenant = tenant;
        this.varietyStats = Caffeine.newBuilder()
                .maximumSize(500)
                .expireAfterWrite(Duration.ofMinutes(15))
                .build(this::loadVarietyStats);
    }

    public List<VarietyStats> varietyStatsForCurrentGroup() {
        return varietyStats.get(tenant.orchardGroupId());
    }

    private List<VarietyStats> loadVarietyStats(long groupId) {
        return jdbc.query(
                "SELECT t.variety, COUNT(*) AS trees, COUNT(a.id) AS adopted "
                        + "FROM trees t LEFT JOIN adoptions a ON a.tree_id = t.id AND a.orchard_group_id = t.orchard_group_id AND a.ends_on >= current_date "
                        + "WHERE t.orchard_group_id = :group GROUP BY t.variety ORDER BY t.variety LIMIT 200",
                new MapSqlParameterSource("group", groupId),
                (rs, i) -> new VarietyStats(rs.getString("variety"), rs.getInt("trees"), rs.getInt("adopted")));
    }

    /** The orchard map page: one screenful of trees at a time. */
    public List<TreeCard> treesPage(int page, int size) {
        int pageSize = Math.min(Math.max(size, 1), 100);
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("group", tenant.orchardGroupId())
                .addValue("limit", pageSize)
                .addValue("offset", Math.max(page, 0) * pageSize);
        return jdbc.query(
                "SELECT t.id, t.variety, t.row_label, t.year_planted, ad.display_name "
                        + "FROM trees t "
                        + "LEFT JOIN adoptions a ON a.tree_id = t.id AND a.orchard_group_id = t.orchard_group_id AND a.ends_on >= current_date "
                        + "LEFT JOIN adopters ad ON ad.id = a.adopter_id AND ad.orchard_group_id = t.orchard_group_id "
                        + "WHERE t.orchard_group_id = :group ORDER BY t.row_label, t.id LIMIT :limit OFFSET :offset",
                params,
                (rs, i) -> new TreeCard(rs.getLong("id"), rs.getString("variety"), rs.getString("row_label"),
                        rs.getString("display_name"), rs.getInt("year_planted")));
    }

    /** Adopter names for a set of trees picked on the map, in one query. */
    public Map<Long, String> adopterNames(List<Long> treeIds) {
        if (treeIds.isEmpty()) {
            return Map.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("group", tenant.orchardGroupId())
                .addValue("ids", treeIds.stream().limit(100).toList());
        List<Map.Entry<Long, String>> rows = jdbc.query(
                "SELECT a.tree_id, ad.display_name FROM adoptions a JOIN adopters ad ON ad.id = a.adopter_id "
                        + "WHERE a.orchard_group_id = :group AND a.tree_id IN (:ids) AND a.ends_on >= current_date",
                params,
                (rs, i) -> Map.entry(rs.getLong("tree_id"), rs.getString("display_name")));
        return rows.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x));
    }
}
