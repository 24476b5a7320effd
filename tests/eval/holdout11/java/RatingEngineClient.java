// is this ok to call from the quote endpoint? ~200 quotes/min at peak
public class RatingEngineClient {
    private static final Logger log = LoggerFactory.getLogger(RatingEngineClient.class);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final int MAX_ATTEMPTS = 3;

    public QuoteResponse rate(String applicantJson) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(ratingUrl + "/v1/auto/rate"))
                .timeout(Duration.ofSeconds(6))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(applicantJson))
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() < 500) return QuoteResponse.parse(res);
                if (attempt == MAX_ATTEMPTS) throw new IOException("rating engine " + res.statusCode());
            } catch (HttpTimeoutException e) {
                log.warn("rating engine timeout (attempt {}/{})", attempt, MAX_ATTEMPTS, e);
                if (attempt == MAX_ATTEMPTS) throw e;
            }
            long backoff = Math.min(2000, 200L << attempt);
            Thread.sleep(ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1));
        }
    }
}
