// Here's an updated version of your controller. Main changes:
//  1. Tariff lookups are now cached with Spring's @Cacheable, so we no longer hit the
//     tariff table on every start request.
//  2. The fleet summary is cached in Redis for 5 minutes to take load off Postgres.
//  3. Cleaner error handling and logging.
// This should be production-ready for your fleet API (fronted by Kong, 30 s upstream timeout).

package com.voltyard.fleet.charging;

import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;

import java.time.Duration;
import java.time.Instant;

@Slf4j
@RestController
@RequestMapping("/api/fleet")
@RequiredArgsConstructor
public class ChargingSessionController {

    private final OcppGatewayClient ocpp;              // WebClient-based, 10 s response timeout
    private final TariffService tariffService;
    private final FleetSummaryService summaryService;

    /** Starts a charge and returns once the charger reports it is actually delivering power. */
    @PostMapping("/vehicles/{vehicleId}/charge")
    public ResponseEntity<?> startCharging(@PathVariable String vehicleId,
                                           @RequestParam String chargerId,
                                           @RequestParam String siteId,
                                           @RequestHeader("X-Driver-Id") String driverId) {
        Tariff tariff = tariffService.tariffFor(driverId, siteId);
        String txId = ocpp.remoteStart(chargerId, vehicleId, tariff.getId());

        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        ChargerStatus status = ocpp.status(chargerId);
        while (status != ChargerStatus.CHARGING && Instant.now().isBefore(deadline)) {
            sleepQuietly(3_000);
            status = ocpp.status(chargerId);
        }

        if (status != ChargerStatus.CHARGING) {
            log.warn("charger {} did not start tx {} within 90s (status={})", chargerId, txId, status);
            return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(new StartResult(txId, status));
        }
        return ResponseEntity.ok(new StartResult(txId, status));
    }

    /** Polled by every driver app home screen in the fleet (big fleets have 2-3k drivers). */
    @GetMapping("/{fleetId}/summary")
    public FleetSummary summary(@PathVariable String fleetId) {
        return summaryService.summary(fleetId);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

@Service
@RequiredArgsConstructor
class TariffService {

    private final TariffRepository tariffs;

    // Site tariffs (price per kWh, idle fee, peak windows) are published by the site owner.
    @Cacheable(cacheNames = "tariffs", key = "#driverId + ':' + #siteId")
    public Tariff tariffFor(String driverId, String siteId) {
        return tariffs.findActiveBySiteId(siteId)
                .orElseThrow(() -> new IllegalStateException("no active tariff for site " + siteId));
    }
}

@Service
@RequiredArgsConstructor
class FleetSummaryService {

    private final RedisTemplate<String, FleetSummary> redis;
    private final ChargeSessionRepository sessions;

    public FleetSummary summary(String fleetId) {
        String key = "fleet-summary:" + fleetId;
        FleetSummary cached = redis.opsForValue().get(key);
        if (cached != null) {
            return cached;
        }
        // kWh, cost and idle minutes per vehicle over the last 90 days (charge_sessions ~40M rows)
        FleetSummary fresh = sessions.aggregateForFleet(fleetId, Instant.now().minus(Duration.ofDays(90)));
        redis.opsForValue().set(key, fresh, Duration.ofMinutes(5));
        return fresh;
    }
}
