package com.geonote.gateway.quota;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-API-key quota for the geocoding API (600 req/min per key).
 * We run 3 replicas, so the counters live in Redis: INCR + PEXPIRE in one Lua call,
 * fixed one-minute windows keyed by api key.
 */
@Component
public class ApiQuotaFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiQuotaFilter.class);
    private static final long LIMIT = 600;

    private static final RedisScript<Long> INCR_WITH_TTL = RedisScript.of("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n
            """, Long.class);

    private final StringRedisTemplate redis;
    private final ApiKeyService apiKeys;

    public ApiQuotaFilter(StringRedisTemplate redis, ApiKeyService apiKeys) {
        this.redis = redis;
        this.apiKeys = apiKeys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String presented = request.getHeader("X-Api-Key");
        ApiKey key = presented == null ? null : apiKeys.verify(presented);
        if (key == null) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "missing or invalid API key");
            return;
        }

        long window = Instant.now().getEpochSecond() / 60;
        String counterKey = "quota:" + key.id() + ":" + window;
        Long used;
        try {
            used = redis.execute(INCR_WITH_TTL, List.of(counterKey),
                    String.valueOf(Duration.ofSeconds(70).toMillis()));
        } catch (RedisConnectionFailureException e) {
            // fail open: availability of the API matters more than exact quota accounting
            log.error("Quota check skipped for key {}: Redis unavailable", key.id(), e);
            chain.doFilter(request, response);
            return;
        }

        response.setHeader("X-RateLimit-Limit", String.valueOf(LIMIT));
        response.setHeader("X-RateLimit-Remaining", String.valueOf(Math.max(0, LIMIT - (used == null ? 0 : used))));
        if (used != null && used > LIMIT) {
            response.setHeader("Retry-After", String.valueOf(60 - Instant.now().getEpochSecond() % 60));
            response.sendError(429, "quota exceeded");
            return;
        }
        chain.doFilter(request, response);
    }
}
