package com.pollster.api.web.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Simple fixed-window throttle for the public voting endpoints:
 * max 30 requests per client IP per minute.
 *
 * The API runs as 3 replicas behind the ALB (deploy/k8s/api.yaml, replicas: 3).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestThrottleFilter extends OncePerRequestFilter {

    private static final int LIMIT_PER_MINUTE = 30;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final long minute;
        final AtomicInteger count = new AtomicInteger();
        Window(long minute) { this.minute = minute; }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/polls/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String clientIp = resolveClientIp(request);
        long minute = Instant.now().getEpochSecond() / 60;

        Window w = windows.compute(clientIp, (k, old) ->
                (old == null || old.minute != minute) ? new Window(minute) : old);
        int used = w.count.incrementAndGet();

        response.setHeader("X-RateLimit-Limit", String.valueOf(LIMIT_PER_MINUTE));
        response.setHeader("X-RateLimit-Remaining", String.valueOf(Math.max(0, LIMIT_PER_MINUTE - used)));

        if (used > LIMIT_PER_MINUTE) {
            response.setStatus(429);
            response.setHeader("Retry-After", "60");
            response.getWriter().write("{\"error\":\"too_many_requests\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    private String resolveClientIp(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            // first entry is the original client
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    /** Drop windows from previous minutes so the map doesn't grow forever. */
    @Scheduled(fixedRate = 60_000)
    public void evictOldWindows() {
        long current = Instant.now().getEpochSecond() / 60;
        windows.values().removeIf(w -> w.minute < current);
    }
}
