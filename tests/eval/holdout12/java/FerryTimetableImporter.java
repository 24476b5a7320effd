package ca.coastferries.tools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One-shot importer run by cron at 03:00 on the ops box:
 *   java -jar timetable-importer.jar --season=2024-summer
 * Pulls the operator's sailing feed page by page and upserts into sailings.
 */
public final class FerryTimetableImporter {

    private static final int MAX_ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    // terminal code -> id, filled from the db once at startup; this process exits when done
    private final Map<String, Long> terminalIds = new HashMap<>();

    public static void main(String[] args) throws Exception {
        String season = args.length > 0 ? args[0].replace("--season=", "") : "current";
        try (Connection db = DriverManager.getConnection(System.getenv("FERRY_DB_URL"))) {
            db.setAutoCommit(false);
            new FerryTimetableImporter().run(db, season);
        }
    }

    void run(Connection db, String season) throws Exception {
        try (var rs = db.createStatement().executeQuery("SELECT code, id FROM terminals")) {
            while (rs.next()) terminalIds.put(rs.getString(1), rs.getLong(2));
        }
        String upsert = """
                INSERT INTO sailings (route_code, departs_terminal_id, arrives_terminal_id, departs_at, vessel, season)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (route_code, departs_at) DO UPDATE SET vessel = EXCLUDED.vessel
                """;
        int page = 1;
        int total = 0;
        try (PreparedStatement ps = db.prepareStatement(upsert)) {
            while (true) {
                JsonNode body = fetchPage(season, page);
                for (JsonNode s : body.path("sailings")) {
                    ps.setString(1, s.path("route").asText());
                    ps.setLong(2, terminalIds.get(s.path("from").asText()));
                    ps.setLong(3, terminalIds.get(s.path("to").asText()));
                    ps.setTimestamp(4, Timestamp.from(java.time.Instant.parse(s.path("departs").asText())));
                    ps.setString(5, s.path("vessel").asText());
                    ps.setString(6, season);
                    ps.addBatch();
                }
                total += ps.executeBatch().length;   // one round trip per page
                db.commit();
                if (!body.path("hasMore").asBoolean()) break;
                page++;
            }
        }
        System.out.printf("imported %d sailings for %s%n", total, season);
    }

    private JsonNode fetchPage(String season, int page) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(
                        URI.create("https://api.coastferries.ca/v1/sailings?season=" + season + "&page=" + page))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json")
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 200) return JSON.readTree(resp.body());
                if (resp.statusCode() < 500 && resp.statusCode() != 429) {
                    throw new IOException("feed returned " + resp.statusCode() + " for page " + page);
                }
                if (attempt >= MAX_ATTEMPTS) throw new IOException("feed still failing after " + attempt + " attempts");
            } catch (java.net.http.HttpTimeoutException e) {
                System.err.printf("timeout on page %d (attempt %d)%n", page, attempt);
                if (attempt >= MAX_ATTEMPTS) throw e;
            }
            long cap = Math.min(30_000L, 500L * (1L << attempt));
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        }
    }
}
