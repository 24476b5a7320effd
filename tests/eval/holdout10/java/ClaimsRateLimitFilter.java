// claims-api: k8s Deployment, replicas: 4 (deploy/claims-api.yaml), behind the AWS ALB.
// Limits claim submissions to 10/min per client so the vet-invoice OCR queue isn't flooded.

@Component
@Order(1)
public class ClaimsRateLimitFilter extends OncePerRequestFilter {

    private static final int LIMIT_PER_MINUTE = 10;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long minute, AtomicInteger count) {}

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !(request.getRequestURI().startsWith("/api/claims") && "POST".equals(request.getMethod()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String fwd = request.getHeader("X-Forwarded-For");
        String client = (fwd != null && !fwd.isBlank()) ? fwd.split(",")[0].trim() : request.getRemoteAddr();

        long minute = System.currentTimeMillis() / 60_000;
        Window w = windows.compute(client, (k, old) ->
                old == null || old.minute() != minute ? new Window(minute, new AtomicInteger()) : old);

        if (w.count().incrementAndGet() > LIMIT_PER_MINUTE) {
            response.setStatus(429);
            response.setHeader("Retry-After", "60");
            return;
        }
        chain.doFilter(request, response);
    }

    // drop windows older than the current minute so the map doesn't grow forever
    @Scheduled(fixedRate = 60_000)
    void evictOld() {
        long minute = System.currentTimeMillis() / 60_000;
        windows.values().removeIf(w -> w.minute() < minute);
    }
}
