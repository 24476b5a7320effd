package io.fragbook.odds.feed;

import io.netty.channel.ChannelOption;
import jakarta.annotation.PostConstruct;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pulls live e-sports odds (CS2, Dota 2, LoL) from the upstream trading feed and
 * upserts them into odds_lines. Runs every 15 s on one pod (ShedLock).
 */
@Component
public class OddsFeedClient {

    private static final Logger log = LoggerFactory.getLogger(OddsFeedClient.class);

    private final WebClient webClient;
    private final JdbcTemplate jdbc;

    // Market definitions are loaded once at startup and only read afterwards.
    private final Map<String, MarketDef> marketDefs = new ConcurrentHashMap<>();

    public OddsFeedClient(WebClient.Builder builder, JdbcTemplate jdbc,
                          @Value("${odds.feed.base-url}") String baseUrl) {
        HttpClient netty = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .responseTimeout(Duration.ofSeconds(5));
        this.webClient = builder
                .baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(netty))
                .build();
        this.jdbc = jdbc;
    }

    @PostConstruct
    void loadMarketDefs() {
        jdbc.query("SELECT code, display_name, outcome_count FROM market_defs",
                rs -> { marketDefs.put(rs.getString("code"),
                        new MarketDef(rs.getString("code"), rs.getString("display_name"), rs.getInt("outcome_count"))); });
        log.info("loaded {} market definitions", marketDefs.size());
    }

    @Scheduled(fixedDelay = 15_000)
    @SchedulerLock(name = "oddsFeedSync", lockAtMostFor = "PT1M")
    public void syncOdds() {
        String cursor = null;
        do {
            OddsPage page = fetchPage(cursor);
            List<OddsLine> known = page.items().stream()
                    .filter(l -> marketDefs.containsKey(l.marketCode()))
                    .toList();
            upsertBatch(known);        // one batched statement per page of 500
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    private OddsPage fetchPage(String cursor) {
        try {
            return webClient.get()
                    .uri(b -> b.path("/v3/odds").queryParam("limit", 500).queryParamIfPresent("cursor",
                            java.util.Optional.ofNullable(cursor)).build())
                    .retrieve()
                    .bodyToMono(OddsPage.class)
                    .retryWhen(Retry.backoff(4, Duration.ofMillis(200))
                            .maxBackoff(Duration.ofSeconds(5))
                            .jitter(0.5)
                            .filter(OddsFeedClient::isTransient))
                    .block(Duration.ofSeconds(30));
        } catch (WebClientResponseException e) {
            log.error("odds feed returned {} for cursor {}", e.getStatusCode(), cursor, e);
            throw e;
        }
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof WebClientResponseException w && w.getStatusCode().is5xxServerError();
    }

    private void upsertBatch(List<OddsLine> lines) {
        jdbc.batchUpdate("""
                INSERT INTO odds_lines (match_id, market_code, outcome, price, feed_ts)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (match_id, market_code, outcome)
                DO UPDATE SET price = EXCLUDED.price, feed_ts = EXCLUDED.feed_ts
                WHERE odds_lines.feed_ts < EXCLUDED.feed_ts
                """, lines, 500, (ps, l) -> {
                    ps.setLong(1, l.matchId());
                    ps.setString(2, l.marketCode());
                    ps.setString(3, l.outcome());
                    ps.setBigDecimal(4, l.price());
                    ps.setTimestamp(5, Timestamp.from(l.feedTs()));
                });
    }

    record MarketDef(String code, String displayName, int outcomeCount) {}
}
