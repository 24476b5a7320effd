package gov.council.winter.dispatch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Snow-plough dispatch board for the council control room and the public "gritting now" map.
 * Summary figures are cached for 30 s; plough positions come from the telematics vendor.
 */
@Service
public class GrittingDashboardService {

    private static final Logger log = LoggerFactory.getLogger(GrittingDashboardService.class);

    private final JdbcTemplate jdbc;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    private final URI telematicsBase;

    private final Cache<Long, DispatchSummary> summaries = Caffeine.newBuilder()
            .maximumSize(500)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build();

    public GrittingDashboardService(JdbcTemplate jdbc, DispatchProperties props) {
        this.jdbc = jdbc;
        this.telematicsBase = props.telematicsBaseUrl();
    }

    public DispatchSummary summary(long councilId) {
        DispatchSummary cached = summaries.getIfPresent(councilId);
        if (cached != null) {
            return cached;
        }
        DispatchSummary fresh = jdbc.queryForObject("""
                SELECT COUNT(*) FILTER (WHERE r.status = 'ACTIVE')                         AS active_runs,
                       COUNT(DISTINCT r.vehicle_id) FILTER (WHERE r.status = 'ACTIVE')     AS ploughs_out,
                       COALESCE(SUM(r.salt_tonnes), 0)                                     AS salt_today,
                       COALESCE(SUM(ST_Length(s.geom)) FILTER (WHERE s.treated_at > now() - interval '4 hours'), 0) AS km_treated,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r.ended_at - r.started_at)) AS p90_run_s
                FROM gritting_runs r
                JOIN run_segments s ON s.run_id = r.id
                WHERE r.council_id = ? AND r.started_at >= date_trunc('day', now())
                """, DispatchSummary.MAPPER, councilId);
        summaries.put(councilId, fresh);
        return fresh;
    }

    public List<PloughPosition> positions(long councilId, String fleetToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(telematicsBase.resolve("/v2/fleets/" + councilId + "/positions"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + fleetToken)
                .GET()
                .build();

        IOException last = null;
        for (int attempt = 1; attempt <= 4; attempt++) {
            try {
                HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) {
                    return PloughPosition.parseAll(res.body());
                }
                last = new IOException("telematics returned " + res.statusCode());
            } catch (IOException e) {
                last = e;
            }
            log.warn("telematics attempt {} failed for council {}: {}", attempt, councilId, last.getMessage());
        }
        throw last;
    }
}
