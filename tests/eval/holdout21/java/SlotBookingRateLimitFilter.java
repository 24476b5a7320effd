package org.kestrelhill.observatory.web;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles the telescope slot API. When a clear night is forecast members hammer
 * "refresh" on the slot grid, and a few scripts have been seen grabbing every slot
 * the moment a night opens.
 *
 * The portal runs as 3 pods behind the ingress (helm values: replicaCount: 3).
 */
@Component
public class SlotBookingRateLimitFilter extends OncePerRequestFilter {

    private final int maxRequests;
    private final long windowMillis;

    // client ip -> timestamps of recent requests inside the window
    private final Map<String, Deque<Long>> recentRequests = new ConcurrentHashMap<>();

    public SlotBookingRateLimitFilter(@Value("${slots.rate-limit.max:30}") int maxRequests,
                                      @Value("${slots.rate-limit.window-seconds:60}") int windowSeconds) {
        this.maxRequests = maxRequests;
        this.windowMillis = windowSeconds * 1000L;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/telescope/slots");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = clientAddress(request);
        long now = System.currentTimeMillis();

        boolean allowed;
        Deque<Long> window = recentRequests.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() > windowMillis) {
                window.pollFirst();
            }
            allowed = window.size() < maxRequests;
            if (allowed) {
                window.addLast(now);
            }
        }

        if (!allowed) {
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(windowMillis / 1000));
            response.getWriter().write("{\"error\":\"too many requests, try again shortly\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Prefer the address the ingress forwards; fall back to the socket peer. */
    private String clientAddress(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    /** Drops idle clients so the map does not keep every address ever seen. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelay = 300_000)
    void evictIdleClients() {
        long cutoff = System.currentTimeMillis() - windowMillis;
        recentRequests.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Long last = e.getValue().peekLast();
                return last == null || last < cutoff;
            }
        });
    }
}
