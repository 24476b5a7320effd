package gov.rivertonwater.ami.importer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Nightly AMI import for the municipal water meters: pulls the last 26 h of interval reads from
 * the head-end system and writes them to meter_reads.
 *
 * Runs as a Kubernetes CronJob (01:30, one pod, concurrencyPolicy: Forbid) with
 * spring.main.web-application-type=none - it starts, imports, exits. Not part of the customer portal.
 */
@Component
public class MeterReadImportRunner implements CommandLineRunner {

    private static final Logger log = LoggerFactory.getLogger(MeterReadImportRunner.class);
    private static final int PAGE_SIZE = 5_000;
    private static final int MAX_ATTEMPTS = 6;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** serial number printed on the meter -> meters.id. Loaded once at start-up (~180k rows). */
    private final Map<String, Long> meterIdBySerial = new HashMap<>();

    @Value("${headend.base-url}") private String headendUrl;
    @Value("${headend.token}") private String token;

    public MeterReadImportRunner(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public void run(String... args) throws Exception {
        jdbc.query("SELECT serial_no, id FROM meters WHERE decommissioned_at IS NULL",
                rs -> { meterIdBySerial.put(rs.getString(1), rs.getLong(2)); });
        log.info("loaded {} active meters", meterIdBySerial.size());

        Instant since = Instant.now().minus(Duration.ofHours(26));
        String cursor = null;
        int pages = 0;
        long written = 0;
        do {
            ReadPage page = fetchPage(since, cursor);
            written += insertPage(page.reads());      // one batched INSERT per page
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        log.info("imported {} reads in {} pages", written, pages);
    }

    private int insertPage(List<IntervalRead> reads) {
        List<Object[]> rows = new ArrayList<>(reads.size());
        for (IntervalRead r : reads) {
            Long meterId = meterIdBySerial.get(r.serial());
            if (meterId == null) {
                log.debug("skipping read for unknown or decommissioned meter {}", r.serial());
                continue;
            }
            rows.add(new Object[]{meterId, java.sql.Timestamp.from(r.readAt()), r.litres()});
        }
        jdbc.batchUpdate("INSERT INTO meter_reads (meter_id, read_at, litres) VALUES (?, ?, ?) " +
                "ON CONFLICT (meter_id, read_at) DO NOTHING", rows);
        return rows.size();
    }

    private ReadPage fetchPage(Instant since, String cursor) throws IOException, InterruptedException {
        String url = headendUrl + "/api/v3/interval-reads?since=" + since + "&limit=" + PAGE_SIZE
                + (cursor != null ? "&cursor=" + cursor : "");
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .GET().build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 200) {
                    return json.readValue(resp.body(), ReadPage.class);
                }
                if (resp.statusCode() < 500 || attempt >= MAX_ATTEMPTS) {
                    throw new IOException("head-end returned HTTP " + resp.statusCode() + " for " + url);
                }
            } catch (HttpTimeoutException e) {
                log.warn("head-end timed out (attempt {}/{})", attempt, MAX_ATTEMPTS, e);
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
            long ceiling = Math.min(60_000L, 1_000L << attempt);
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        }
    }

    record IntervalRead(String serial, Instant readAt, long litres) {}
    record ReadPage(List<IntervalRead> reads, String nextCursor) {}
}
