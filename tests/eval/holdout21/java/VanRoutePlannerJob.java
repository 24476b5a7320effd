// VanRoutePlannerJob.java -- mobile vet vans: plans tomorrow's farm and home visits every evening.
// (imports omitted; Spring Boot 3, java.net.http, Jackson)

@Component
public class VanRoutePlannerJob {

    private static final Logger log = LoggerFactory.getLogger(VanRoutePlannerJob.class);
    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 500;
    private static final long MAX_DELAY_MS = 8_000;

    // one client for the whole app: it keeps a connection pool to the routing provider
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_2)
            .build();

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final URI optimiseUri;

    public VanRoutePlannerJob(JdbcTemplate jdbc, ObjectMapper json, @Value("${routing.optimise-url}") URI optimiseUri) {
        this.jdbc = jdbc;
        this.json = json;
        this.optimiseUri = optimiseUri;
    }

    @Scheduled(cron = "0 0 19 * * *", zone = "Europe/Dublin")
    public void planTomorrow() throws Exception {
        LocalDate day = LocalDate.now(ZoneId.of("Europe/Dublin")).plusDays(1);
        List<Map<String, Object>> visits = jdbc.queryForList(
                "SELECT v.id, v.van_id, a.lat, a.lon, v.window_start, v.window_end, v.expected_minutes "
                        + "FROM visits v JOIN addresses a ON a.id = v.address_id "
                        + "WHERE v.visit_date = ? AND v.status = 'CONFIRMED' ORDER BY v.van_id, v.id LIMIT 500",
                day);
        if (visits.isEmpty()) {
            return;
        }

        // all vans in one optimisation request rather than a call per van
        String body = json.writeValueAsString(Map.of("date", day.toString(), "visits", visits));
        HttpRequest request = HttpRequest.newBuilder(optimiseUri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        JsonNode plan = json.readTree(sendWithBackoff(request));
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode stop : plan.path("stops")) {
            rows.add(new Object[] { stop.path("sequence").asInt(), stop.path("eta").asText(), stop.path("visit_id").asLong() });
        }
        jdbc.batchUpdate("UPDATE visits SET route_sequence = ?, eta = ?::timestamptz WHERE id = ?", rows);
        log.info("planned {} visits for {}", rows.size(), day);
    }

    /** Retries 5xx and I/O failures with exponential backoff and full jitter, capped at 8 s. */
    private String sendWithBackoff(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    if (response.statusCode() >= 400) {
                        throw new IllegalStateException("routing rejected request: " + response.statusCode());
                    }
                    return response.body();
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IOException("routing still failing after " + attempt + " attempts: " + response.statusCode());
                }
            } catch (IOException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    log.error("routing request failed after {} attempts", attempt, e);
                    throw e;
                }
                log.warn("routing attempt {} failed, retrying: {}", attempt, e.toString());
            }
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 1));
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        }
    }
}
