package com.fieldshare.rental;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Holds on tractors, balers, sprayers etc. while the farmer finishes checkout.
 * Runs on 2 pods; the purge job is guarded by ShedLock (see SchedulerConfig).
 */
@Service
public class EquipmentHoldService {

    private static final Logger log = LoggerFactory.getLogger(EquipmentHoldService.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final RentalMailer mailer;
    private final HttpClient telematics = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public EquipmentHoldService(NamedParameterJdbcTemplate jdbc, RentalMailer mailer) {
        this.jdbc = jdbc;
        this.mailer = mailer;
    }

    @Transactional
    public long placeHold(long equipmentId, long farmerId, LocalDate from, LocalDate to) {
        // Serialize all holds/bookings for this machine on its row before checking overlap.
        jdbc.queryForObject("SELECT id FROM equipment WHERE id = :id FOR UPDATE",
                Map.of("id", equipmentId), Long.class);

        Integer overlapping = jdbc.queryForObject("""
                SELECT COUNT(*) FROM equipment_holds
                 WHERE equipment_id = :id AND hold_until > now()
                   AND daterange(start_date, end_date, '[]') && daterange(:from, :to, '[]')
                """, Map.of("id", equipmentId, "from", from, "to", to), Integer.class);
        if (overlapping != null && overlapping > 0) {
            throw new EquipmentUnavailableException(equipmentId, from, to);
        }

        return jdbc.queryForObject("""
                INSERT INTO equipment_holds (equipment_id, farmer_id, start_date, end_date, hold_until)
                VALUES (:id, :farmer, :from, :to, now() + interval '20 minutes')
                RETURNING id
                """, Map.of("id", equipmentId, "farmer", farmerId, "from", from, "to", to), Long.class);
    }

    @Scheduled(fixedDelayString = "PT5M")
    public void purgeExpiredHolds() {
        int n = jdbc.update("DELETE FROM equipment_holds WHERE hold_until < now() - interval '1 hour'", Map.of());
        log.info("purged {} expired equipment holds", n);
    }

    /** Morning reminder for pickups today, processed 200 holds at a time. */
    @Scheduled(cron = "0 0 6 * * *", zone = "America/Chicago")
    public void pickupReminders() {
        long lastId = 0;
        while (true) {
            List<Map<String, Object>> page = jdbc.queryForList("""
                    SELECT r.id, r.farmer_id, e.name AS equipment FROM rentals r
                      JOIN equipment e ON e.id = r.equipment_id
                     WHERE r.start_date = current_date AND r.id > :after
                     ORDER BY r.id LIMIT 200
                    """, Map.of("after", lastId));
            if (page.isEmpty()) {
                break;
            }
            List<Object> farmerIds = page.stream().map(r -> r.get("farmer_id")).distinct().toList();
            Map<Long, String> emails = mailer.emailsFor(jdbc.queryForList(
                    "SELECT id, email FROM farmers WHERE id IN (:ids)", Map.of("ids", farmerIds)));
            page.forEach(r -> mailer.queuePickupReminder(emails.get((Long) r.get("farmer_id")), (String) r.get("equipment")));
            lastId = (Long) page.get(page.size() - 1).get("id");
        }
    }

    @Async
    public void sendHoldConfirmation(long holdId, String email) {
        mailer.sendHoldConfirmation(holdId, email);
    }

    public EngineHours engineHours(String unitSerial) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://api.agtelematics.example/v1/units/" + unitSerial + "/hours"))
                .timeout(Duration.ofSeconds(4))
                .GET()
                .build();
        try {
            HttpResponse<String> resp = telematics.send(req, HttpResponse.BodyHandlers.ofString());
            return EngineHours.parse(resp.body());
        } catch (Exception e) {
            log.warn("telematics lookup failed for unit {}", unitSerial, e);
            throw e;
        }
    }
}
