package fm.valleyradio.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.DayOfWeek;
import java.util.List;

/**
 * Weekly show grid for the community stations we host (each station is a
 * tenant). The grid is identical for every listener, so it is cached per
 * station and week, not per listener.
 */
@Service
public class RadioScheduleService {

    private static final Logger log = LoggerFactory.getLogger(RadioScheduleService.class);

    record GridKey(long stationId, LocalDate monday) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    // Caffeine loads each key once; concurrent callers for the same key wait for that load
    private final LoadingCache<GridKey, List<ShowSlot>> grids = Caffeine.newBuilder()
            .maximumSize(2_000)
            .expireAfterWrite(Duration.ofMinutes(15))
            .build(this::loadGrid);

    public RadioScheduleService(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    public List<ShowSlot> weekGrid(long stationId, LocalDate anyDay) {
        return grids.get(new GridKey(stationId, anyDay.with(DayOfWeek.MONDAY)));
    }

    public void invalidate(long stationId, LocalDate anyDay) {
        grids.invalidate(new GridKey(stationId, anyDay.with(DayOfWeek.MONDAY)));
    }

    private List<ShowSlot> loadGrid(GridKey key) {
        return jdbc.query("""
                SELECT s.id, s.title, s.presenter, sl.starts_at, sl.ends_at, sl.is_repeat
                  FROM show_slots sl
                  JOIN shows s ON s.id = sl.show_id AND s.station_id = sl.station_id
                 WHERE sl.station_id = ?
                   AND sl.starts_at >= ? AND sl.starts_at < ?
                 ORDER BY sl.starts_at
                """,
                (rs, i) -> new ShowSlot(rs.getLong("id"), rs.getString("title"), rs.getString("presenter"),
                        rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("ends_at").toInstant(),
                        rs.getBoolean("is_repeat")),
                key.stationId(), key.monday(), key.monday().plusDays(7));
    }

    /** "On air now" from the station's Icecast status page. */
    public NowPlaying nowPlaying(Station station) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(station.icecastUrl() + "/status-json.xsl"))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return NowPlaying.fromIcecast(mapper.readTree(resp.body()));
        } catch (IOException e) {
            log.warn("icecast status failed for station {}: {}", station.id(), e.toString());
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading icecast status", e);
        }
    }
}
