package uk.pendleslope.lessons.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles the dry-ski slope lesson booking endpoints. When the half-term
 * lesson slots go live, a few parents hammer "refresh" and scripted clients
 * grab every beginner slot, so each client gets 20 booking calls per minute.
 *
 * The lessons API runs as 3 replicas behind the council's load balancer
 * (see deploy/lessons-api/values.yaml).
 */
@Component
@Order(1)
public class LessonSlotRateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_CALLS = 20;
    private static final long WINDOW_MS = 60_000;

    private final Map<String, Deque<Long>> callsByClient = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/lessons/slots");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = clientAddress(request);
        long now = System.currentTimeMillis();

        Deque<Long> calls = callsByClient.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (calls) {
            while (!calls.isEmpty() && now - calls.peekFirst() > WINDOW_MS) {
                calls.pollFirst();
            }
            if (calls.size() >= MAX_CALLS) {
                long retryAfterSec = Math.max(1, (WINDOW_MS - (now - calls.peekFirst())) / 1000);
                response.setHeader("Retry-After", String.valueOf(retryAfterSec));
                response.sendError(429, "Too many booking requests, please wait a moment");
                return;
            }
            calls.addLast(now);
        }
        chain.doFilter(request, response);
    }

    /** The load balancer appends the caller to X-Forwarded-For; take the first hop. */
    private String clientAddress(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    /** Drop idle clients so the map does not keep every address we have ever seen. */
    @Scheduled(fixedDelay = 300_000)
    public void evictIdleClients() {
        long cutoff = System.currentTimeMillis() - WINDOW_MS;
        callsByClient.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast() < cutoff;
            }
        });
    }
}
