// RateLimitFilter for booking-api (dive trips). Bots keep grabbing the liveaboard spots the
// minute a new trip is published, so we throttle POSTs to /api/dive-trips/** per client IP.
// booking-api runs 3 replicas behind the ALB (charts/booking-api/values.yaml: replicaCount: 3).
// Is this ok? It works locally.

@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class TripBookingRateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_REQUESTS = 20;          // per IP per window
    private static final long WINDOW_MS = 60_000;

    private final Map<String, Deque<Long>> requestLog = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !request.getRequestURI().startsWith("/api/dive-trips/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        String clientIp = resolveClientIp(request);
        long now = System.currentTimeMillis();
        Deque<Long> times = requestLog.computeIfAbsent(clientIp, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() > WINDOW_MS) {
                times.pollFirst();
            }
            if (times.size() >= MAX_REQUESTS) {
                response.setStatus(429);
                response.setHeader("Retry-After", "60");
                response.setContentType("application/json");
                response.getWriter().write("{\"error\":\"too many booking attempts, slow down\"}");
                return;
            }
            times.addLast(now);
        }
        chain.doFilter(request, response);
    }

    private String resolveClientIp(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();   // first hop = original client
        }
        return request.getRemoteAddr();
    }
}
