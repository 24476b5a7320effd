package io.skyhop.dispatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/*
 * dispatch-api: k8s Deployment, replicas: 3 (HPA min 3 / max 8), behind the ALB.
 * Drones report telemetry to /missions/{id}/telemetry, customers poll /missions/{id}.
 */
@RestController
@RequestMapping("/missions")
public class DispatchController {

    private static final Logger log = LoggerFactory.getLogger(DispatchController.class);

    // missionId -> live state (position, battery, phase)
    private final Map<String, MissionState> liveMissions = new ConcurrentHashMap<>();

    private final StringRedisTemplate redis;
    private final AirspaceService airspace;
    private final DroneFleetService fleet;
    private final ObjectMapper json;
    private final RestTemplate autopilot;

    public DispatchController(StringRedisTemplate redis, AirspaceService airspace, DroneFleetService fleet,
                              ObjectMapper json, RestTemplateBuilder builder) {
        this.redis = redis;
        this.airspace = airspace;
        this.fleet = fleet;
        this.json = json;
        this.autopilot = builder
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(5))
                .build();
    }

    @PostMapping
    public ResponseEntity<MissionState> dispatch(@RequestBody DispatchRequest req) throws JsonProcessingException {
        AirspaceRestrictions restrictions = restrictionsFor(req.zoneId());
        if (restrictions.blocks(req.dropoff())) {
            return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).build();
        }
        Drone drone = fleet.reserveNearest(req.pickup());
        MissionState state = MissionState.planned(drone.id(), req, restrictions.version());
        liveMissions.put(state.missionId(), state);

        uploadFlightPlan(drone, state);
        return ResponseEntity.status(HttpStatus.CREATED).body(state);
    }

    @PostMapping("/{missionId}/telemetry")
    public ResponseEntity<Void> telemetry(@PathVariable String missionId, @RequestBody Telemetry t) {
        MissionState state = liveMissions.get(missionId);
        if (state == null) {
            return ResponseEntity.notFound().build();
        }
        liveMissions.put(missionId, state.withTelemetry(t, Instant.now()));
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/{missionId}")
    public ResponseEntity<MissionState> status(@PathVariable String missionId) {
        MissionState state = liveMissions.get(missionId);
        return state == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(state);
    }

    private AirspaceRestrictions restrictionsFor(String zoneId) throws JsonProcessingException {
        String cached = redis.opsForValue().get("airspace:" + zoneId);
        if (cached != null) {
            return json.readValue(cached, AirspaceRestrictions.class);
        }
        // merges NOTAMs, TFRs and municipal geofences for the zone; ~3-6 s
        AirspaceRestrictions fresh = airspace.compileRestrictions(zoneId);
        redis.opsForValue().set("airspace:" + zoneId, json.writeValueAsString(fresh), Duration.ofMinutes(5));
        return fresh;
    }

    private void uploadFlightPlan(Drone drone, MissionState state) {
        int attempt = 0;
        while (true) {
            try {
                autopilot.postForEntity(drone.autopilotUrl() + "/plan", state.flightPlan(), Void.class);
                return;
            } catch (RestClientException e) {
                attempt++;
                log.warn("flight plan upload to {} failed (attempt {})", drone.id(), attempt, e);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }
}
