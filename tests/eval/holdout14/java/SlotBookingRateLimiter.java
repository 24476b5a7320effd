// co-op delivery api: limit how often someone can grab delivery slots
// (prod = 3 replicas behind the ALB, see helm/values-prod.yaml)
@Component
public class SlotBookingRateLimiter implements HandlerInterceptor {

    private static final int LIMIT_PER_MINUTE = 20;

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest req, HttpServletResponse res, Object handler) throws Exception {
        String client = req.getHeader("X-Forwarded-For");
        if (client == null || client.isBlank()) {
            client = req.getRemoteAddr();
        }
        long minute = System.currentTimeMillis() / 60_000;
        Window w = windows.compute(client, (k, old) -> (old == null || old.minute != minute) ? new Window(minute) : old);
        if (w.count.incrementAndGet() > LIMIT_PER_MINUTE) {
            res.setStatus(429);
            res.setHeader("Retry-After", "60");
            return false;
        }
        return true;
    }

    static final class Window {
        final long minute;
        final AtomicInteger count = new AtomicInteger();
        Window(long minute) { this.minute = minute; }
    }
}
