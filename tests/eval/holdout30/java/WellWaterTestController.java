package org.parishwater.wells.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.parishwater.wells.security.ParishAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

/**
 * Endpoints behind the parish water warden app: the dashboard summary, the full
 * results table, and recording a new field-kit sample (which is forwarded to the
 * county lab so it can book a confirmation sample when coliforms show up).
 */
@RestController
@RequestMapping("/api/parishes/{parishId}/wells")
public class WellWaterTestController {

    private static final Logger log = LoggerFactory.getLogger(WellWaterTestController.class);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;
    private final ParishAccess parishAccess;
    private final HttpClient labClient = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Value("${county-lab.base-url}")
    private String labBaseUrl;

    @Value("${county-lab.token}")
    private String labToken;

    public WellWaterTestController(JdbcTemplate jdbc, StringRedisTemplate redis,
                                   ObjectMapper mapper, ParishAccess parishAccess) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.mapper = mapper;
        this.parishAccess = parishAccess;
    }

    /** Latest reading per well. A parish has a handful of wells, so this is a small query. */
    @GetMapping("/summary")
    public String summary(@PathVariable long parishId, Principal principal) throws JsonProcessingException {
        parishAccess.require(principal, parishId);
        String cacheKey = "wq:summary:" + parishId + ":" + principal.getName();
        String cached = redis.opsForValue().get(cacheKey);
        if (cached != null) {
            return cached;
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT DISTINCT ON (w.id) w.id, w.name, t.sampled_at, t.coliform_cfu, t.nitrate_mg_l, t.ph "
                        + "FROM wells w LEFT JOIN water_tests t ON t.well_id = w.id AND t.parish_id = w.parish_id "
                        + "WHERE w.parish_id = ? ORDER BY w.id, t.sampled_at DESC",
                parishId);
        String json = mapper.writeValueAsString(rows);
        redis.opsForValue().set(cacheKey, json, Duration.ofMinutes(10));
        return json;
    }

    /** Results table on the "All tests" tab; also what the CSV export button downloads. */
    @GetMapping("/tests")
    public List<Map<String, Object>> allTests(@PathVariable long parishId, Principal principal) {
        parishAccess.require(principal, parishId);
        return jdbc.queryForList("SELECT id, well_id, sampled_at, sampler, coliform_cfu, ecoli_cfu, nitrate_mg_l, ph "
                + "FROM water_tests WHERE parish_id = ? ORDER BY sampled_at DESC", parishId);
    }

    @PostMapping("/{wellId}/tests")
    public ResponseEntity<Map<String, Object>> record(@PathVariable long parishId,
                                                      @PathVariable long wellId,
                                                      @RequestBody SampleForm form,
                                                      Principal principal) throws IOException, InterruptedException {
        parishAccess.require(principal, parishId);

        // INSERT ... SELECT so a warden cannot attach a sample to another parish's well.
        List<Long> ids = jdbc.queryForList(
                "INSERT INTO water_tests (parish_id, well_id, sampled_at, sampler, coliform_cfu, ecoli_cfu, nitrate_mg_l, ph) "
                        + "SELECT w.parish_id, w.id, ?, ?, ?, ?, ?, ? FROM wells w WHERE w.id = ? AND w.parish_id = ? "
                        + "RETURNING id",
                Long.class, form.sampledAt(), principal.getName(), form.coliformCfu(), form.ecoliCfu(),
                form.nitrateMgL(), form.ph(), wellId, parishId);
        if (ids.isEmpty()) {
            return ResponseEntity.notFound().build();
        }

        HttpRequest labRequest = HttpRequest.newBuilder(URI.create(labBaseUrl + "/v2/field-results"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + labToken)
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(form.forWell(wellId))))
                .build();
        HttpResponse<String> labResponse = labClient.send(labRequest, HttpResponse.BodyHandlers.ofString());
        if (labResponse.statusCode() >= 300) {
            log.warn("county lab rejected field result for well {}: {} {}", wellId,
                    labResponse.statusCode(), labResponse.body());
        }

        return ResponseEntity.status(201).body(Map.of("id", ids.get(0), "forwardedToLab", labResponse.statusCode() < 300));
    }
}
