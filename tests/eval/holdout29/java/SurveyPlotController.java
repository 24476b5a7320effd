package org.lichenwatch.survey.web;

import java.security.Principal;
import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import org.lichenwatch.survey.domain.PlotObservation;
import org.lichenwatch.survey.domain.PlotObservationRepository;

/**
 * Survey projects (a county lichen group, a university transect study ...) record species
 * cover on fixed quadrat plots. Several pods serve this API, so the upload throttle lives in
 * Redis; the region stats are cached per project and region in a bounded local cache.
 */
@RestController
@RequestMapping("/api/projects/{projectId}")
public class SurveyPlotController {

    private static final int UPLOADS_PER_HOUR = 120;

    private final Cache<String, List<SpeciesCover>> regionStats = Caffeine.newBuilder()
        .maximumSize(2_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    private final PlotObservationRepository observations;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;

    public SurveyPlotController(PlotObservationRepository observations, JdbcTemplate jdbc, StringRedisTemplate redis) {
        this.observations = observations;
        this.jdbc = jdbc;
        this.redis = redis;
    }

    @GetMapping("/plots/{plotId}/observations")
    public Page<PlotObservation> observations(@PathVariable long projectId, @PathVariable long plotId,
                                              @RequestParam(defaultValue = "0") int page) {
        return observations.findByProjectIdAndPlotId(projectId, plotId,
            PageRequest.of(Math.max(page, 0), 50, Sort.by(Sort.Direction.DESC, "recordedAt")));
    }

    @PostMapping("/plots/{plotId}/observations")
    public ResponseEntity<PlotObservation> upload(@PathVariable long projectId, @PathVariable long plotId,
                                                  @RequestBody NewObservation body, Principal surveyor) {
        String bucket = "rl:lichen-upload:" + surveyor.getName() + ":" + (System.currentTimeMillis() / 3_600_000);
        Long used = redis.opsForValue().increment(bucket);
        if (used != null && used == 1L) {
            redis.expire(bucket, Duration.ofHours(1));
        }
        if (used != null && used > UPLOADS_PER_HOUR) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).build();
        }
        PlotObservation saved = observations.save(
            PlotObservation.of(projectId, plotId, surveyor.getName(), body.species(), body.coverPercent()));
        return ResponseEntity.status(HttpStatus.CREATED).body(saved);
    }

    /** Top species by mean cover in a region; Caffeine runs one load per key, other callers wait for it. */
    @GetMapping("/regions/{region}/species")
    public List<SpeciesCover> regionSpecies(@PathVariable long projectId, @PathVariable String region) {
        return regionStats.get(projectId + ":" + region, key -> jdbc.query(
            "SELECT o.species, avg(o.cover_percent) AS mean_cover, count(DISTINCT o.plot_id) AS plots "
                + "FROM plot_observations o JOIN plots p ON p.id = o.plot_id "
                + "WHERE o.project_id = ? AND p.region = ? AND o.recorded_at > now() - interval '2 years' "
                + "GROUP BY o.species ORDER BY mean_cover DESC LIMIT 30",
            (rs, i) -> new SpeciesCover(rs.getString("species"), rs.getDouble("mean_cover"), rs.getInt("plots")),
            projectId, region));
    }

    public record NewObservation(String species, double coverPercent) {}
    public record SpeciesCover(String species, double meanCover, int plots) {}
}
