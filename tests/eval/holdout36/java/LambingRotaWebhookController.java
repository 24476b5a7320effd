package com.fellsidefarm.lambing.rota;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Receives events from the rota app the farm uses to organise lambing-shed shifts.
 * When a helper signs off a night shift in the app we log it against the ewe
 * groups they covered and add the hours to their season total (helpers are paid
 * or given lamb shares by hours worked).
 */
@RestController
@RequestMapping("/webhooks/rota")
public class LambingRotaWebhookController {

    private final HelperRepository helperRepository;
    private final ShiftLogRepository shiftLogRepository;
    private final ObjectMapper objectMapper;
    private final byte[] signingSecret;

    public LambingRotaWebhookController(HelperRepository helperRepository,
                                        ShiftLogRepository shiftLogRepository,
                                        ObjectMapper objectMapper,
                                        @Value("${rota.webhook-secret}") String signingSecret) {
        this.helperRepository = helperRepository;
        this.shiftLogRepository = shiftLogRepository;
        this.objectMapper = objectMapper;
        this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Void> handleRotaEvent(@RequestHeader("X-Rota-Signature") String signature,
                                                @RequestBody String rawBody) throws Exception {
        if (!validSignature(rawBody, signature)) {
            return ResponseEntity.status(401).build();
        }

        RotaEvent event = objectMapper.readValue(rawBody, RotaEvent.class);
        if (!"shift.completed".equals(event.type())) {
            return ResponseEntity.ok().build();
        }

        ShiftLog entry = new ShiftLog();
        entry.setRotaShiftId(event.shiftId());
        entry.setHelperId(event.helperId());
        entry.setShed(event.shed());
        entry.setStartedAt(event.startedAt());
        entry.setEndedAt(event.endedAt());
        entry.setLambsDelivered(event.lambsDelivered());
        shiftLogRepository.save(entry);

        Helper helper = helperRepository.findById(event.helperId())
                .orElseThrow(() -> new UnknownHelperException(event.helperId()));
        helper.setSeasonHours(helper.getSeasonHours().add(event.hoursWorked()));
        helper.setLastShiftEndedAt(event.endedAt());
        helperRepository.save(helper);

        return ResponseEntity.ok().build();
    }

    private boolean validSignature(String body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
        String expectedHex = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(expectedHex.getBytes(StandardCharsets.US_ASCII),
                signature.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }

    public record RotaEvent(String id, String type, String shiftId, long helperId, String shed,
                            OffsetDateTime startedAt, OffsetDateTime endedAt,
                            BigDecimal hoursWorked, int lambsDelivered) {}
}
