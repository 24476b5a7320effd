// brute-force protection for /auth/login, is this ok? (auth-service, 3 tasks on ECS behind an ALB)
@Component
public class LoginThrottleFilter extends OncePerRequestFilter {

    private static final int MAX_ATTEMPTS = 10;
    private static final long WINDOW_MS = 60_000;

    private final Map<String, Deque<Long>> attemptsByIp = new ConcurrentHashMap<>();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) { return !"/auth/login".equals(request.getRequestURI()); }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String ip = Optional.ofNullable(req.getHeader("X-Forwarded-For"))
                .map(h -> h.split(",")[0].trim())
                .orElse(req.getRemoteAddr());
        long now = System.currentTimeMillis();
        Deque<Long> q = attemptsByIp.computeIfAbsent(ip, k -> new ConcurrentLinkedDeque<>());
        while (!q.isEmpty() && now - q.peekFirst() > WINDOW_MS) q.pollFirst();
        if (q.size() >= MAX_ATTEMPTS) {
            res.setStatus(429);
            res.getWriter().write("{\"error\":\"too many login attempts\"}");
            return;
        }
        q.addLast(now);
        chain.doFilter(req, res);
    }
}
