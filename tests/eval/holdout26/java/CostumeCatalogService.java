package org.stagewardrobe.hire;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Catalogue and fitting desk for the theatre's costume hire store.
 * Amateur companies browse by period (Elizabethan, Regency, 1920s ...) and the wardrobe
 * assistants put a costume "on the rail" while a fitting is in progress.
 *
 * Deployed as 3 replicas behind the venue's load balancer (k8s/costume-hire.yaml).
 */
@Service
public class CostumeCatalogService {

    public record CostumeSummary(long id, String name, String period, String sizeRange, int hireCount) {}

    public record PeriodPopularity(String period, long hires, double avgHireDays, long distinctCompanies) {}

    private final JdbcTemplate jdbc;

    private final Cache<String, List<CostumeSummary>> catalogueCache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(15))
            .build();

    private final Cache<String, List<PeriodPopularity>> popularityCache = Caffeine.newBuilder()
            .maximumSize(10)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    // costume id -> wardrobe assistant who currently has it on the fitting rail
    private final Map<Long, String> fittingRail = new ConcurrentHashMap<>();

    public CostumeCatalogService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Costumes available for a period, shown on the browse page. */
    public List<CostumeSummary> catalogue(String username, String period) {
        String cacheKey = "catalogue:" + username + ":" + period;
        return catalogueCache.get(cacheKey, k -> jdbc.query(
                "SELECT c.id, c.name, c.period, c.size_range, c.hire_count FROM costumes c "
                        + "WHERE c.period = ? AND c.retired = false ORDER BY c.hire_count DESC LIMIT 300",
                (rs, i) -> new CostumeSummary(rs.getLong("id"), rs.getString("name"),
                        rs.getString("period"), rs.getString("size_range"), rs.getInt("hire_count")),
                period));
    }

    /** "Most hired periods" panel on the home page; every visitor sees the same numbers. */
    public List<PeriodPopularity> popularity() {
        List<PeriodPopularity> cached = popularityCache.getIfPresent("all");
        if (cached != null) {
            return cached;
        }
        // Scans the full hire history (about 2 million rows since 1998).
        List<PeriodPopularity> fresh = jdbc.query(
                "SELECT c.period, count(*) AS hires, avg(h.returned_on - h.collected_on) AS avg_days, "
                        + "count(DISTINCT h.company_id) AS companies FROM hires h JOIN costumes c ON c.id = h.costume_id "
                        + "GROUP BY c.period ORDER BY hires DESC",
                (rs, i) -> new PeriodPopularity(rs.getString("period"), rs.getLong("hires"),
                        rs.getDouble("avg_days"), rs.getLong("companies")));
        popularityCache.put("all", fresh);
        return fresh;
    }

    /** Put a costume on the fitting rail; returns false if another assistant already has it. */
    public boolean startFitting(long costumeId, String assistant) {
        String holder = fittingRail.putIfAbsent(costumeId, assistant);
        return holder == null || holder.equals(assistant);
    }

    public void finishFitting(long costumeId, String assistant) {
        fittingRail.remove(costumeId, assistant);
    }

    public Map<Long, String> currentFittings() {
        return Map.copyOf(fittingRail);
    }
}
