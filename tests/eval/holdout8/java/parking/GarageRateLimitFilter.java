package com.parkwise.garage.web;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles the public plate-lookup / pay-at-exit endpoints: 60 requests per minute per client.
 * garage-api runs as a k8s Deployment with replicas: 3 behind the ALB.
 */
@Component
public class GarageRateLimitFilter extends OncePerRequestFilter {

    private static final int LIMIT_PER_MINUTE = 60;

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/public/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String clientIp = clientIp(request);
        long minute = System.currentTimeMillis() / 60_000;
        Window w = windows.compute(clientIp, (k, old) ->
                old == null || old.minute != minute ? new Window(minute, 1) : new Window(minute, old.count + 1));
        if (w.count > LIMIT_PER_MINUTE) {
            response.setStatus(429);
            response.setHeader("Retry-After", "60");
            return;
        }
        chain.doFilter(request, response);
    }

    private static String clientIp(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    @Scheduled(fixedDelay = 60_000)
    void evictOldWindows() {
        long current = System.currentTimeMillis() / 60_000;
        windows.values().removeIf(w -> w.minute < current);
    }

    private record Window(long minute, int count) {}
}
