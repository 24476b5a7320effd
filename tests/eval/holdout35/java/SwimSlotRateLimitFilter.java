package com.lakepasses.api.filter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sliding-window limit on the slot-pass endpoints so that a single caller
 * can't grab every 7am slot on the lake the moment a week is released.
 *
 * pass-api runs as 3 replicas behind the ALB (deploy/k8s/pass-api.yaml).
 */
@Component
public class SwimSlotRateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_REQUESTS = 20;
    private static final long WINDOW_MS = Duration.ofMinutes(1).toMillis();

    private final Map<String, Deque<Long>> recentRequests = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/slots");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String caller = clientAddress(request);
        long now = System.currentTimeMillis();

        Deque<Long> window = recentRequests.computeIfAbsent(caller, k -> new ArrayDeque<>());
        boolean allowed;
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() > WINDOW_MS) {
                window.pollFirst();
            }
            allowed = window.size() < MAX_REQUESTS;
            if (allowed) {
                window.addLast(now);
            }
        }

        if (!allowed) {
            response.setStatus(429);
            response.setHeader("Retry-After", "60");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"Too many slot requests, try again in a minute\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The ALB appends the original caller, so the first entry is the swimmer's address. */
    private String clientAddress(HttpServletRequest request) {
        return Optional.ofNullable(request.getHeader("X-Forwarded-For"))
                .map(h -> h.split(",")[0].trim())
                .filter(s -> !s.isEmpty())
                .orElse(request.getRemoteAddr());
    }

    /** Drop callers that have been quiet for a full window so the map doesn't keep them. */
    @Scheduled(fixedDelay = 300_000)
    void evictIdleCallers() {
        long cutoff = System.currentTimeMillis() - WINDOW_MS;
        recentRequests.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Long last = e.getValue().peekLast();
                return last == null || last < cutoff;
            }
        });
    }
}
