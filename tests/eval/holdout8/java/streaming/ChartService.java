package fm.tonal.catalog.charts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

@Service
public class ChartService {

    private static final String NEW_RELEASES_KEY = "home:new-releases:v2";

    private final NamedParameterJdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;
    private final S3Client s3;

    // album id -> 300x300 jpeg, so the home feed doesn't hit S3 for every tile
    private final Map<Long, byte[]> artworkThumbs = new ConcurrentHashMap<>();

    public ChartService(NamedParameterJdbcTemplate jdbc, StringRedisTemplate redis, ObjectMapper mapper, S3Client s3) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.mapper = mapper;
        this.s3 = s3;
    }

    /** Top 100 tracks by plays in the last 7 days for a country. */
    @Cacheable(cacheNames = "top-charts", key = "#listenerId + ':' + #country")
    public List<ChartEntry> topCharts(long listenerId, String country) {
        return jdbc.query("""
                SELECT t.id, t.title, a.name AS artist, count(*) AS plays
                FROM play_events p
                JOIN tracks t ON t.id = p.track_id
                JOIN artists a ON a.id = t.artist_id
                WHERE p.country = :country AND p.played_at > now() - interval '7 days'
                GROUP BY t.id, t.title, a.name
                ORDER BY plays DESC
                LIMIT 100
                """, Map.of("country", country), ChartEntry.MAPPER);
    }

    /** The listener's own saved playlists - genuinely different per listener. */
    @Cacheable(cacheNames = "listener-library", key = "#listenerId")
    public List<PlaylistSummary> library(long listenerId) {
        return jdbc.query(
                "SELECT id, name, track_count FROM playlists WHERE owner_id = :owner ORDER BY updated_at DESC LIMIT 200",
                Map.of("owner", listenerId), PlaylistSummary.MAPPER);
    }

    /** New releases rail on the home screen, shared by every listener. */
    public List<ReleaseCard> newReleases() throws Exception {
        String cached = redis.opsForValue().get(NEW_RELEASES_KEY);
        if (cached != null) {
            return mapper.readValue(cached, new TypeReference<List<ReleaseCard>>() {});
        }
        List<ReleaseCard> releases = jdbc.query("""
                SELECT al.id, al.title, ar.name AS artist, al.released_on,
                       sum(s.plays_7d) AS momentum
                FROM albums al
                JOIN artists ar ON ar.id = al.artist_id
                JOIN track_play_stats s ON s.album_id = al.id
                WHERE al.released_on > current_date - 30
                GROUP BY al.id, al.title, ar.name, al.released_on
                ORDER BY momentum DESC
                LIMIT 40
                """, Map.of(), ReleaseCard.MAPPER);
        redis.opsForValue().set(NEW_RELEASES_KEY, mapper.writeValueAsString(releases), Duration.ofMinutes(10));
        return releases;
    }

    public byte[] artworkThumb(long albumId) {
        return artworkThumbs.computeIfAbsent(albumId, id -> {
            ResponseBytes<?> bytes = s3.getObjectAsBytes(GetObjectRequest.builder()
                    .bucket("tonal-artwork")
                    .key("thumbs/300/" + id + ".jpg")
                    .build());
            return bytes.asByteArray();
        });
    }
}
