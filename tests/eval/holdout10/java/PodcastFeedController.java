package fm.castbay.hosting.web;

import fm.castbay.hosting.feed.RssWriter;
import fm.castbay.hosting.model.EpisodeMeta;
import fm.castbay.hosting.security.HostAccount;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

@RestController
public class PodcastFeedController {

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final RssWriter rss;

    // episode id -> audio location + size, looked up on every /dl hit
    private final Map<Long, EpisodeMeta> episodeMeta = new ConcurrentHashMap<>();

    public PodcastFeedController(JdbcTemplate jdbc, StringRedisTemplate redis, RssWriter rss) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.rss = rss;
    }

    /** Public RSS feed, polled by Apple Podcasts, Spotify, Overcast, Pocket Casts... */
    @GetMapping(value = "/shows/{slug}/feed.xml", produces = MediaType.APPLICATION_XML_VALUE)
    public String feed(@PathVariable String slug) {
        String key = "feed:" + slug;
        String xml = redis.opsForValue().get(key);
        if (xml == null) {
            // show + up to 300 latest episodes + chapters + transcripts + person tags
            List<Map<String, Object>> rows = jdbc.queryForList("""
                    SELECT s.*, e.*, ch.chapters_json, t.transcript_url, p.people_json
                      FROM shows s
                      JOIN episodes e ON e.show_id = s.id AND e.published_at <= now()
                      LEFT JOIN episode_chapters ch ON ch.episode_id = e.id
                      LEFT JOIN episode_transcripts t ON t.episode_id = e.id
                      LEFT JOIN LATERAL (SELECT json_agg(pe) people_json FROM episode_people pe
                                          WHERE pe.episode_id = e.id) p ON true
                     WHERE s.slug = ?
                     ORDER BY e.published_at DESC
                     LIMIT 300
                    """, slug);
            if (rows.isEmpty()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
            xml = rss.render(rows);
            redis.opsForValue().set(key, xml, Duration.ofMinutes(5));
        }
        return xml;
    }

    /** Download redirect used as the enclosure URL; counts the download, then 302s to the CDN. */
    @GetMapping("/dl/{episodeId}")
    public ResponseEntity<Void> download(@PathVariable long episodeId,
                                         @RequestHeader(value = HttpHeaders.USER_AGENT, required = false) String ua) {
        EpisodeMeta meta = episodeMeta.computeIfAbsent(episodeId, id ->
                jdbc.queryForObject("SELECT id, show_id, audio_url, audio_bytes FROM episodes WHERE id = ?",
                        (rs, n) -> new EpisodeMeta(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4)), id));

        redis.opsForStream().add("downloads", Map.of(
                "episode", String.valueOf(episodeId),
                "show", String.valueOf(meta.showId()),
                "ua", ua == null ? "" : ua));

        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(meta.audioUrl())).build();
    }

    /** Host dashboard: downloads per day for the last 90 days, by app. */
    @GetMapping("/api/shows/{showId}/stats")
    public List<Map<String, Object>> stats(@AuthenticationPrincipal HostAccount host, @PathVariable long showId) {
        host.requireOwns(showId);
        return jdbc.queryForList("""
                SELECT date_trunc('day', d.downloaded_at) AS day, d.client_app, count(*) AS downloads,
                       count(DISTINCT d.listener_hash) AS listeners
                  FROM downloads d
                 WHERE d.show_id = ? AND d.downloaded_at > now() - interval '90 days'
                 GROUP BY 1, 2
                 ORDER BY 1
                """, showId);
    }
}
