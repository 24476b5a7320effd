package uk.coastpath.wardens.tides;

import java.time.Duration;
import java.time.LocalDate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Tide windows for warden patrol planning. Sections of the coast path below the
 * cliffs are only walkable around low water, so the patrol planner page asks for
 * the day's tide table of every section a warden is rostered on.
 *
 * The upstream tidal service is slow (2-4 s per station) and allows 60 calls/minute,
 * so results are kept in Redis for 30 minutes.
 */
@Service
public class CoastalPatrolTideService {

    private static final Logger log = LoggerFactory.getLogger(CoastalPatrolTideService.class);
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final int MAX_ATTEMPTS = 4;

    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;
    private final RestTemplate rest = new RestTemplate();
    private final String baseUrl;
    private final String apiKey;

    public CoastalPatrolTideService(StringRedisTemplate redis, ObjectMapper mapper,
                                    @Value("${tides.base-url}") String baseUrl,
                                    @Value("${tides.api-key}") String apiKey) {
        this.redis = redis;
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public TideTable tideTable(String stationId, LocalDate day) {
        String key = "tides:" + stationId + ":" + day;

        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return read(cached);
        }

        TideTable fresh = fetchFromUpstream(stationId, day);
        try {
            redis.opsForValue().set(key, mapper.writeValueAsString(fresh), TTL);
        } catch (JsonProcessingException e) {
            log.warn("Could not serialise tide table for {} {}", stationId, day, e);
        }
        return fresh;
    }

    private TideTable fetchFromUpstream(String stationId, LocalDate day) {
        String url = baseUrl + "/stations/{station}/tides?date={date}&key={key}";
        RestClientException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                TideTable table = rest.getForObject(url, TideTable.class, stationId, day, apiKey);
                if (table != null) {
                    return table;
                }
            } catch (RestClientException e) {
                last = e;
                log.warn("Tide fetch for {} failed (attempt {}/{}): {}", stationId, attempt, MAX_ATTEMPTS, e.getMessage());
            }
        }
        throw new TideServiceUnavailableException(stationId, last);
    }

    private TideTable read(String json) {
        try {
            return mapper.readValue(json, TideTable.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt tide cache entry", e);
        }
    }
}
