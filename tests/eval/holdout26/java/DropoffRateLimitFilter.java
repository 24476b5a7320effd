package gov.greenvale.compost.web;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits how often a household can book a community composting drop-off window.
 * The council's booking app runs on 4 pods (HPA min 4, max 10) behind the city ingress.
 *
 * Policy from the parks team: at most 5 booking attempts per 10 minutes per household
 * connection, so the Saturday morning windows aren't grabbed by scripts.
 */
@Component
public class DropoffRateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DropoffRateLimitFilter.class);

    private static final int MAX_ATTEMPTS = 5;
    private static final long WINDOW_MILLIS = 10 * 60 * 1000L;

    // client address -> timestamps of recent booking attempts
    private final ConcurrentHashMap<String, Deque<Long>> attemptsByClient = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod())
                && request.getRequestURI().startsWith("/api/dropoff-windows/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = clientAddress(request);
        long now = System.currentTimeMillis();

        Deque<Long> attempts = attemptsByClient.computeIfAbsent(client, k -> new ArrayDeque<>());
        boolean allowed;
        synchronized (attempts) {
            while (!attempts.isEmpty() && now - attempts.peekFirst() > WINDOW_MILLIS) {
                attempts.pollFirst();
            }
            allowed = attempts.size() < MAX_ATTEMPTS;
            if (allowed) {
                attempts.addLast(now);
            }
        }

        if (!allowed) {
            log.info("drop-off booking throttled for {}", client);
            response.setStatus(429);
            response.setHeader("Retry-After", "600");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"too many booking attempts, try again in 10 minutes\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    private String clientAddress(HttpServletRequest request) {
        // Behind the ingress getRemoteAddr() is the ingress pod, so prefer the forwarded address.
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }

    /** Drop clients with no attempts left in the window so the map doesn't keep every address forever. */
    @Scheduled(fixedDelay = 60_000)
    public void evictIdleClients() {
        long cutoff = System.currentTimeMillis() - WINDOW_MILLIS;
        attemptsByClient.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast() < cutoff;
            }
        });
    }
}
