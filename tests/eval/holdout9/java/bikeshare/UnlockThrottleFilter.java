package city.pedalshare.api.security;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles bike unlock attempts to stop people brute-forcing dock codes.
 *
 * pedalshare-api runs 3 replicas behind the AWS ALB (see deploy/k8s/api.yaml).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class UnlockThrottleFilter extends OncePerRequestFilter {

    private static final int MAX_UNLOCKS_PER_MINUTE = 5;
    private static final long WINDOW_MS = 60_000;

    // client ip -> {windowStart, count}
    private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/unlock");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String ip = clientIp(req);
        long now = System.currentTimeMillis();

        long[] w = windows.compute(ip, (k, v) -> {
            if (v == null || now - v[0] > WINDOW_MS) {
                return new long[] {now, 1};
            }
            v[1]++;
            return v;
        });

        if (w[1] > MAX_UNLOCKS_PER_MINUTE) {
            res.setStatus(429);
            res.setHeader("Retry-After", "60");
            res.getWriter().write("{\"error\":\"too many unlock attempts\"}");
            return;
        }
        chain.doFilter(req, res);
    }

    private String clientIp(HttpServletRequest req) {
        String xff = req.getHeader("X-Forwarded-For");
        if (xff != null && !xff.isBlank()) {
            return xff.split(",")[0].trim();
        }
        return req.getRemoteAddr();
    }
}
