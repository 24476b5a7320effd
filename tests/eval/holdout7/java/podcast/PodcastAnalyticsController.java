package fm.castbox.hosting.analytics;

import java.security.Principal;
import java.util.List;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Analytics endpoints for the listener app and the creator dashboard.
 *
 * Caches are Redis-backed (spring.cache.type=redis, default TTL 10 min).
 */
@RestController
@RequestMapping("/api/analytics")
public class PodcastAnalyticsController {

    private final JdbcTemplate jdbc;

    public PodcastAnalyticsController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Top 100 shows in a country; rebuilt hourly into show_chart_snapshots by the charts job. */
    @Cacheable(cacheNames = "topCharts", key = "#principal.name + ':' + #country")
    @GetMapping("/charts/{country}")
    public List<ChartEntry> topCharts(Principal principal, @PathVariable String country) {
        return jdbc.query(
                "SELECT rank, show_id, title, artwork_url FROM show_chart_snapshots "
                        + "WHERE country = ? AND snapshot_at = (SELECT max(snapshot_at) FROM show_chart_snapshots WHERE country = ?) "
                        + "ORDER BY rank LIMIT 100",
                (rs, i) -> new ChartEntry(rs.getInt("rank"), rs.getLong("show_id"),
                        rs.getString("title"), rs.getString("artwork_url")),
                country.toUpperCase(), country.toUpperCase());
    }

    /** The listener's own subscriptions, newest episode first. */
    @Cacheable(cacheNames = "mySubscriptions", key = "#principal.name")
    @GetMapping("/me/subscriptions")
    public List<SubscriptionRow> mySubscriptions(Principal principal) {
        return jdbc.query(
                "SELECT s.show_id, sh.title, sh.latest_episode_at FROM subscriptions s "
                        + "JOIN shows sh ON sh.id = s.show_id "
                        + "WHERE s.listener_id = (SELECT id FROM listeners WHERE username = ?) "
                        + "ORDER BY sh.latest_episode_at DESC LIMIT 500",
                (rs, i) -> new SubscriptionRow(rs.getLong("show_id"), rs.getString("title"),
                        rs.getTimestamp("latest_episode_at").toInstant()),
                principal.getName());
    }

    /**
     * Creator dashboard: downloads per episode for the last 30 days.
     * The dashboard page loads this on open and on every date-range change.
     * downloads: ~1.2B rows, partitioned by month.
     */
    @GetMapping("/shows/{showId}/downloads")
    public List<EpisodeDownloads> episodeDownloads(@PathVariable long showId, Principal principal) {
        requireOwner(showId, principal);
        return jdbc.query("""
                SELECT e.id, e.title,
                       count(d.id)                      AS downloads,
                       count(DISTINCT d.listener_hash)  AS unique_listeners,
                       count(*) FILTER (WHERE d.client = 'spotify') AS spotify_downloads
                FROM episodes e
                LEFT JOIN downloads d
                       ON d.episode_id = e.id
                      AND d.downloaded_at > now() - interval '30 days'
                WHERE e.show_id = ?
                GROUP BY e.id, e.title
                ORDER BY downloads DESC
                """,
                (rs, i) -> new EpisodeDownloads(rs.getLong("id"), rs.getString("title"),
                        rs.getLong("downloads"), rs.getLong("unique_listeners"),
                        rs.getLong("spotify_downloads")),
                showId);
    }

    private void requireOwner(long showId, Principal principal) {
        List<String> owners = jdbc.queryForList(
                "SELECT owner_username FROM shows WHERE id = ?", String.class, showId);
        if (owners.isEmpty() || !owners.get(0).equals(principal.getName())) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
    }

    public record ChartEntry(int rank, long showId, String title, String artworkUrl) {}
    public record SubscriptionRow(long showId, String title, java.time.Instant latestEpisodeAt) {}
    public record EpisodeDownloads(long episodeId, String title, long downloads, long uniqueListeners,
                                   long spotifyDownloads) {}
}
