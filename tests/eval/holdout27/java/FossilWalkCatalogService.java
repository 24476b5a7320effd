package uk.jurassiccoastwalks.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

/**
 * Upcoming guided fossil-hunting walks per beach section (Charmouth, Lyme Regis, Kimmeridge...).
 * Walks can only run on a falling tide, so each listing is merged with low-water times from
 * the tide service. The listing is the same for every visitor, so it is cached per section.
 */
@Service
public class FossilWalkCatalogService {

    private static final Logger log = LoggerFactory.getLogger(FossilWalkCatalogService.class);

    public record Walk(long id, String title, LocalDate date, String meetingPoint, int placesLeft) {}
    public record LowWater(LocalDate date, String time, double heightM) {}
    public record SectionListing(String section, List<Walk> walks, List<LowWater> lowWaters) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final URI tideBase;

    // One client for the whole service: it keeps its own connection pool.
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    // get(key) runs the loader once per key; concurrent callers for the same section wait
    // for that single load instead of each hitting the database and the tide service.
    private final LoadingCache<String, SectionListing> listings = Caffeine.newBuilder()
            .maximumSize(64)
            .expireAfterWrite(Duration.ofMinutes(15))
            .build(this::loadSection);

    public FossilWalkCatalogService(JdbcTemplate jdbc, ObjectMapper mapper,
                                    @Value("${tides.base-url}") URI tideBase) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.tideBase = tideBase;
    }

    public SectionListing listing(String sectionCode) {
        return listings.get(sectionCode);
    }

    private SectionListing loadSection(String sectionCode) {
        List<Walk> walks = jdbc.query(
                "SELECT w.id, w.title, w.walk_date, w.meeting_point, w.capacity - w.places_taken AS places_left "
                        + "FROM guided_walks w WHERE w.section_code = ? AND w.walk_date >= current_date "
                        + "ORDER BY w.walk_date LIMIT 60",
                (rs, i) -> new Walk(rs.getLong("id"), rs.getString("title"),
                        rs.getDate("walk_date").toLocalDate(), rs.getString("meeting_point"),
                        rs.getInt("places_left")),
                sectionCode);
        return new SectionListing(sectionCode, walks, lowWaters(sectionCode));
    }

    private List<LowWater> lowWaters(String sectionCode) {
        HttpRequest request = HttpRequest.newBuilder(tideBase.resolve("/v1/stations/" + sectionCode + "/low-water?days=14"))
                .timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("tide service returned " + response.statusCode() + " for " + sectionCode);
            }
            return mapper.readValue(response.body(), new TypeReference<List<LowWater>>() {});
        } catch (IOException e) {
            log.error("tide lookup failed for section {}", sectionCode, e);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted fetching tides for " + sectionCode, e);
        }
    }
}
