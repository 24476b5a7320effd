package org.northrink.scheduling;

import jakarta.persistence.*;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Ice-time booking for the city rinks (hockey clubs, figure skating, public skate).
 * Flow: a team places a 15 minute hold on a slot, pays in the club portal, then confirms.
 */
@RestController
@RequestMapping("/rinks/{rinkId}/ice-time")
public class IceTimeController {

    private final IceTimeService service;

    public IceTimeController(IceTimeService service) {
        this.service = service;
    }

    @GetMapping("/bookings")
    public List<IceBooking> bookings(@PathVariable Long rinkId) {
        return service.bookingsForRink(rinkId);
    }

    @PostMapping("/holds")
    public ResponseEntity<?> hold(@PathVariable Long rinkId, @RequestBody HoldRequest req) {
        if (!service.placeHold(rinkId, req.startsAt(), req.teamId())) {
            return ResponseEntity.status(409).body(Map.of("error", "slot is already held or booked"));
        }
        return ResponseEntity.status(201).build();
    }

    @PostMapping("/holds/{holdId}/confirm")
    public IceBooking confirm(@PathVariable Long rinkId, @PathVariable Long holdId) {
        return service.confirmHold(rinkId, holdId);
    }
}

record HoldRequest(LocalDateTime startsAt, Long teamId) {}

@Service
class IceTimeService {

    private final IceBookingRepository bookings;
    private final JdbcTemplate jdbc;

    IceTimeService(IceBookingRepository bookings, JdbcTemplate jdbc) {
        this.bookings = bookings;
        this.jdbc = jdbc;
    }

    List<IceBooking> bookingsForRink(Long rinkId) {
        // used by the front desk calendar and by the public schedule page
        return bookings.findByRinkIdOrderByStartsAtDesc(rinkId);
    }

    @Transactional
    boolean placeHold(Long rinkId, LocalDateTime startsAt, Long teamId) {
        Integer activeHolds = jdbc.queryForObject("SELECT count(*) FROM ice_holds WHERE rink_id = ? AND starts_at = ? AND hold_until > now() AND confirmed_at IS NULL", Integer.class, rinkId, startsAt);
        if (activeHolds > 0 || bookings.existsByRinkIdAndStartsAt(rinkId, startsAt)) {
            return false;
        }
        jdbc.update("INSERT INTO ice_holds (rink_id, starts_at, team_id, hold_until) VALUES (?, ?, ?, now() + interval '15 minutes')",
                rinkId, startsAt, teamId);
        return true;
    }

    @Transactional
    IceBooking confirmHold(Long rinkId, Long holdId) {
        Map<String, Object> hold = jdbc.queryForMap(
                "SELECT starts_at, team_id FROM ice_holds WHERE id = ? AND rink_id = ? AND hold_until > now() AND confirmed_at IS NULL FOR UPDATE",
                holdId, rinkId);
        jdbc.update("UPDATE ice_holds SET confirmed_at = now() WHERE id = ?", holdId);

        IceBooking b = new IceBooking();
        b.setRinkId(rinkId);
        b.setTeamId(((Number) hold.get("team_id")).longValue());
        b.setStartsAt(((java.sql.Timestamp) hold.get("starts_at")).toLocalDateTime());
        b.setStatus("CONFIRMED");
        return bookings.save(b);
    }

    // 02:15 every night: mark yesterday's sessions as played so they drop off the "upcoming" widget
    @Scheduled(cron = "0 15 2 * * *")
    void markPlayed() {
        jdbc.update("UPDATE ice_bookings SET status = 'PLAYED' WHERE starts_at < now() AND status = 'CONFIRMED'");
    }
}

interface IceBookingRepository extends JpaRepository<IceBooking, Long> {
    List<IceBooking> findByRinkIdOrderByStartsAtDesc(Long rinkId);
    boolean existsByRinkIdAndStartsAt(Long rinkId, LocalDateTime startsAt);
}

@Entity
@Table(name = "ice_bookings")
class IceBooking {
    @Id @GeneratedValue(strategy = GenerationType.IDENTITY) private Long id;
    private Long rinkId;
    private Long teamId;
    private LocalDateTime startsAt;
    private String status;

    public Long getId() { return id; }
    public void setRinkId(Long rinkId) { this.rinkId = rinkId; }
    public void setTeamId(Long teamId) { this.teamId = teamId; }
    public LocalDateTime getStartsAt() { return startsAt; }
    public void setStartsAt(LocalDateTime startsAt) { this.startsAt = startsAt; }
    public void setStatus(String status) { this.status = status; }
}
