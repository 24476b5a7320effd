package city.pedal.docks.webhooks;

import city.pedal.docks.domain.Dock;
import city.pedal.docks.domain.DockRepository;
import city.pedal.docks.rides.RideService;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Receives dock events from the station hardware vendor (DockLink).
 * DockLink delivers at-least-once and retries for up to 24h on any non-2xx.
 */
@RestController
@RequestMapping("/webhooks/docklink")
public class DockEventWebhookController {

    private static final Logger log = LoggerFactory.getLogger(DockEventWebhookController.class);

    private final DockRepository docks;
    private final RideService rides;
    private final ObjectMapper mapper;
    private final byte[] signingKey;

    public DockEventWebhookController(DockRepository docks, RideService rides, ObjectMapper mapper,
                                      @Value("${docklink.signing-key}") String signingKey) {
        this.docks = docks;
        this.rides = rides;
        this.mapper = mapper;
        this.signingKey = signingKey.getBytes(StandardCharsets.UTF_8);
    }

    public record DockEvent(String eventId, String type, long dockId, String bikeId,
                            String riderId, Instant occurredAt) {}

    @PostMapping
    @Transactional
    public ResponseEntity<Void> onDockEvent(@RequestHeader("X-DockLink-Signature") String signature,
                                            @RequestBody String rawBody) throws Exception {
        if (!validSignature(rawBody, signature)) {
            return ResponseEntity.status(401).build();
        }
        DockEvent event = mapper.readValue(rawBody, DockEvent.class);
        log.info("docklink event {} type={} dock={}", event.eventId(), event.type(), event.dockId());

        Dock dock = docks.findById(event.dockId()).orElseThrow();
        switch (event.type()) {
            case "BIKE_DOCKED" -> {
                dock.setAvailableBikes(dock.getAvailableBikes() + 1);
                dock.setFreeSlots(dock.getFreeSlots() - 1);
            }
            case "BIKE_UNDOCKED" -> {
                dock.setAvailableBikes(dock.getAvailableBikes() - 1);
                dock.setFreeSlots(dock.getFreeSlots() + 1);
            }
            default -> {
                return ResponseEntity.noContent().build();
            }
        }
        dock.setLastEventAt(event.occurredAt());
        docks.save(dock);

        if ("BIKE_DOCKED".equals(event.type()) && event.riderId() != null) {
            try {
                // Ends the ride and charges the rider's wallet for the trip duration
                rides.completeRide(event.bikeId(), event.riderId(), dock.getId(), event.occurredAt());
            } catch (DataAccessException e) {
                return ResponseEntity.ok().build();
            }
        }
        return ResponseEntity.ok().build();
    }

    private boolean validSignature(String body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
        byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        byte[] given = HexFormat.of().parseHex(signature);
        return MessageDigest.isEqual(expected, given);
    }
}
