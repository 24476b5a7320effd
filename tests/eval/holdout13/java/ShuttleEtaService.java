package com.skypark.shuttle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.channel.ChannelOption;
import jakarta.annotation.PostConstruct;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Live shuttle ETAs for the airport parking lots (Lot A economy, Lot C covered, valet...).
 *
 * The GPS vendor bills per call and is slow (~800 ms), so ETAs are cached per lot for 20 s.
 * AsyncCache.get() coalesces concurrent misses for the same lot into one vendor call.
 */
@Service
public class ShuttleEtaService {

    private final JdbcTemplate jdbc;
    private final WebClient gps;

    // About 15 lots; loaded once at startup and never modified afterwards.
    private Map<String, ParkingLot> lotsByCode = Map.of();

    private final AsyncCache<String, EtaView> etaCache = Caffeine.newBuilder()
            .maximumSize(500)
            .expireAfterWrite(Duration.ofSeconds(20))
            .buildAsync();

    public ShuttleEtaService(JdbcTemplate jdbc,
                             WebClient.Builder builder,
                             @Value("${gps.base-url}") String gpsBaseUrl,
                             @Value("${gps.token}") String gpsToken) {
        this.jdbc = jdbc;
        HttpClient netty = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .responseTimeout(Duration.ofSeconds(3));
        this.gps = builder
                .baseUrl(gpsBaseUrl)
                .defaultHeader("Authorization", "Bearer " + gpsToken)
                .clientConnector(new ReactorClientHttpConnector(netty))
                .build();
    }

    @PostConstruct
    void loadLots() {
        List<ParkingLot> lots = jdbc.query(
                "SELECT code, name, stop_id, terminal FROM parking_lots WHERE active",
                (rs, i) -> new ParkingLot(rs.getString("code"), rs.getString("name"),
                        rs.getString("stop_id"), rs.getString("terminal")));
        lotsByCode = lots.stream().collect(Collectors.toUnmodifiableMap(ParkingLot::code, Function.identity()));
    }

    public Mono<EtaView> etaFor(String lotCode) {
        ParkingLot lot = lotsByCode.get(lotCode);
        if (lot == null) {
            return Mono.error(new UnknownLotException(lotCode));
        }
        CompletableFuture<EtaView> eta = etaCache.get(lotCode, (code, executor) -> fetchEta(lot).toFuture());
        return Mono.fromFuture(eta);
    }

    private Mono<EtaView> fetchEta(ParkingLot lot) {
        return gps.get()
                .uri("/v2/stops/{stopId}/arrivals?limit=3", lot.stopId())
                .retrieve()
                .bodyToMono(VendorArrivals.class)
                .map(a -> EtaView.from(lot, a));
    }

    public record ParkingLot(String code, String name, String stopId, String terminal) {}
}
