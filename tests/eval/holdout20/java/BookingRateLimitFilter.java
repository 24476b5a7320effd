package com.wagtail.kennels.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles the public boarding-request form (POST /api/boarding-requests) so a single
 * client cannot flood the front desk with fake stay requests.
 *
 * kennel-api is deployed as a Deployment with replicas: 3 behind the AWS ALB
 * (see deploy/kennel-api/values.yaml).
 */
@Component
@Order(10)
public class BookingRateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_REQUESTS = 5;
    private static final long WINDOW_MILLIS = 10 * 60 * 1000L;

    /** Sliding window of request timestamps per client address. */
    private final Map<String, Deque<Long>> recentRequests = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod())
                && request.getRequestURI().startsWith("/api/boarding-requests"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String client = clientAddress(request);
        long now = System.currentTimeMillis();

        Deque<Long> window = recentRequests.computeIfAbsent(client, k -> new ArrayDeque<>());
        boolean allowed;
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() > WINDOW_MILLIS) {
                window.pollFirst();
            }
            allowed = window.size() < MAX_REQUESTS;
            if (allowed) {
                window.addLast(now);
            }
        }

        if (!allowed) {
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(WINDOW_MILLIS / 1000));
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"Too many boarding requests, please call the kennel instead.\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The ALB terminates TLS, so the real visitor address arrives in a header. */
    private String clientAddress(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }
}
