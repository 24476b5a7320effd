package com.example.booking;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

@Service
public class SeatService {

    private final SeatRepository seats;
    private final HoldRepository holds;

    public SeatService(SeatRepository seats, HoldRepository holds) {
        this.seats = seats;
        this.holds = holds;
    }

    @Transactional
    public Hold hold(long seatId, long userId) {
        Seat seat = seats.findById(seatId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (seat.getStatus() != SeatStatus.AVAILABLE) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "seat already taken");
        }
        seat.setStatus(SeatStatus.HELD);
        seats.save(seat);
        Hold hold = new Hold(seatId, userId, Instant.now().plus(10, ChronoUnit.MINUTES));
        return holds.save(hold);
    }

    @Transactional
    public void confirm(long holdId, long userId) {
        int updated = seats.markSold(holdId, userId);
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "hold expired");
        }
    }
}
