package org.toollibrary.lending.config;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles the public reservation endpoints of the tool library API
 * (POST /api/loans, POST /api/reservations) so one member can't grab every
 * pressure washer on a bank-holiday weekend.
 *
 * Deployment: lending-api, 3 replicas behind the nginx ingress (see k8s/lending-api.yaml).
 */
@Component
@Order(1)
public class LendingRateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_REQUESTS = 20;
    private static final long WINDOW_MILLIS = 60_000;

    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    public LendingRateLimitFilter(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !"POST".equals(request.getMethod())
                || !(path.startsWith("/api/loans") || path.startsWith("/api/reservations"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String client = clientAddress(request);
        long now = clock.millis();

        Deque<Long> hits = windows.computeIfAbsent(client, k -> new ArrayDeque<>());
        boolean allowed;
        synchronized (hits) {
            while (!hits.isEmpty() && now - hits.peekFirst() > WINDOW_MILLIS) {
                hits.pollFirst();
            }
            allowed = hits.size() < MAX_REQUESTS;
            if (allowed) {
                hits.addLast(now);
            }
        }

        if (!allowed) {
            response.setStatus(429);
            response.setHeader("Retry-After", "60");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"Too many reservation attempts, try again in a minute\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    private String clientAddress(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    /** Drop idle clients so the map only holds addresses seen in the last window. */
    @Scheduled(fixedDelay = 300_000)
    void evictIdle() {
        long cutoff = clock.millis() - WINDOW_MILLIS;
        windows.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Long last = e.getValue().peekLast();
                return last == null || last < cutoff;
            }
        });
    }
}
