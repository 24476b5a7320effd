package org.ashcombecc.nets.config;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sliding-window limiter for the nets booking endpoints.
 *
 * Booking for the next week opens at 08:00 on Sunday and members hammer refresh, so we
 * cap each client at 20 booking requests per minute. The booking API runs as 3 pods on
 * the club's k3s cluster behind Traefik.
 */
@Component
@Order(1)
public class NetsBookingRateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_REQUESTS = 20;
    private static final long WINDOW_MS = 60_000;

    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/nets/bookings");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String client = clientAddress(request);
        long now = System.currentTimeMillis();

        boolean allowed;
        Deque<Long> window = windows.computeIfAbsent(client, k -> new ArrayDeque<>());
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
            response.setHeader("Retry-After", "30");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"Too many booking attempts, try again shortly\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Traefik sits in front of us, so the socket address is always the ingress. */
    private String clientAddress(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    /** Drop idle clients so the map doesn't keep every address we've ever seen. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelay = 300_000)
    void evictIdle() {
        long cutoff = System.currentTimeMillis() - WINDOW_MS;
        windows.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast() < cutoff;
            }
        });
    }
}
