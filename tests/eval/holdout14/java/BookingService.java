// Here's the fixed version. The race you spotted (two groups booking the last slot for the
// same room at the same time) is closed by locking the slot row with SELECT ... FOR UPDATE
// inside the transaction, so the capacity check and the increment can't interleave.
// I also moved the confirmation call out of the transaction (it runs after commit) and gave
// the HttpClient a connect timeout plus a per-request timeout.

package com.lockedin.bookings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;

@Service
public class BookingService {

    private static final Logger log = LoggerFactory.getLogger(BookingService.class);

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final URI confirmationsUri;

    // one client for the whole app; it pools connections internally
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    public BookingService(JdbcTemplate jdbc, ApplicationEventPublisher events,
                          @Value("${notifications.base-url}") String notificationsBaseUrl) {
        this.jdbc = jdbc;
        this.events = events;
        this.confirmationsUri = URI.create(notificationsBaseUrl + "/booking-confirmations");
    }

    @Transactional
    public long book(long roomId, LocalDateTime slotStart, long customerId, int players) {
        // Locks the slot row until commit; a concurrent booking waits here.
        Map<String, Object> slot = jdbc.queryForMap(
                "SELECT id, capacity, booked_players FROM room_slots WHERE room_id = ? AND starts_at = ? FOR UPDATE",
                roomId, slotStart);

        long slotId = ((Number) slot.get("id")).longValue();
        int capacity = ((Number) slot.get("capacity")).intValue();
        int booked = ((Number) slot.get("booked_players")).intValue();
        if (booked + players > capacity) {
            throw new SlotFullException(roomId, slotStart);
        }

        jdbc.update("UPDATE room_slots SET booked_players = booked_players + ? WHERE id = ?", players, slotId);

        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "INSERT INTO bookings (slot_id, customer_id, players, created_at) VALUES (?, ?, ?, now())",
                    Statement.RETURN_GENERATED_KEYS);
            ps.setLong(1, slotId);
            ps.setLong(2, customerId);
            ps.setInt(3, players);
            return ps;
        }, keys);
        long bookingId = keys.getKey().longValue();

        events.publishEvent(new BookingCreated(bookingId, customerId, roomId, slotStart, players));
        return bookingId;
    }

    /** Runs only once the booking is committed, so a slow notification service can't hold the row lock. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void sendConfirmation(BookingCreated evt) {
        HttpRequest req = HttpRequest.newBuilder(confirmationsUri)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(evt.toJson()))
                .build();
        try {
            HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (resp.statusCode() >= 300) {
                log.warn("confirmation for booking {} returned {}", evt.bookingId(), resp.statusCode());
            }
        } catch (IOException e) {
            log.error("could not send confirmation for booking {}", evt.bookingId(), e);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending confirmation", e);
        }
    }
}
