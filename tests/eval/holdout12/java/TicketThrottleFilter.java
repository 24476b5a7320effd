// is this ok for stopping bots on the timed-entry ticket endpoint? ticket-api runs replicas: 3 behind the ALB
@Component
public class TicketThrottleFilter extends OncePerRequestFilter {

    private static final int LIMIT_PER_MINUTE = 20;
    private final ConcurrentHashMap<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private volatile long currentMinute = System.currentTimeMillis() / 60_000;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/tickets/reserve");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        long minute = System.currentTimeMillis() / 60_000;
        if (minute != currentMinute) {
            hits.clear();
            currentMinute = minute;
        }
        String visitor = req.getHeader("X-Forwarded-For");
        if (visitor == null) visitor = req.getRemoteAddr();
        else visitor = visitor.split(",")[0].trim();

        if (hits.computeIfAbsent(visitor, k -> new AtomicInteger()).incrementAndGet() > LIMIT_PER_MINUTE) {
            res.setStatus(429);
            res.setHeader("Retry-After", "60");
            return;
        }
        chain.doFilter(req, res);
    }
}
