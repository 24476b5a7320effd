package com.stagepass.booking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

interface SeatRepository extends JpaRepository<Seat, UUID> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from Seat s where s.event.id = :eventId and s.id in :seatIds order by s.id")
    List<Seat> lockSeats(@Param("eventId") UUID eventId, @Param("seatIds") List<UUID> seatIds);

    @Modifying
    @Query("""
           update Seat s
              set s.status = com.stagepass.booking.SeatStatus.AVAILABLE,
                  s.heldBy = null, s.holdUntil = null
            where s.status = com.stagepass.booking.SeatStatus.HELD
              and s.holdUntil < :now
           """)
    int releaseExpiredHolds(@Param("now") Instant now);
}

@Service
public class SeatHoldService {

    private static final Logger log = LoggerFactory.getLogger(SeatHoldService.class);
    private static final Duration HOLD_DURATION = Duration.ofMinutes(8);

    private final SeatRepository seats;

    public SeatHoldService(SeatRepository seats) {
        this.seats = seats;
    }

    /**
     * Holds the requested seats for the customer while they check out.
     * Rows are locked (SELECT ... FOR UPDATE, ordered by id to avoid deadlocks) so two buyers
     * clicking the same seat can't both get it.
     */
    @Transactional
    public Instant hold(UUID eventId, List<UUID> seatIds, UUID customerId) {
        Instant now = Instant.now();
        List<Seat> locked = seats.lockSeats(eventId, seatIds);
        if (locked.size() != seatIds.size()) {
            throw new SeatNotFoundException(eventId, seatIds);
        }
        for (Seat seat : locked) {
            boolean free = seat.getStatus() == SeatStatus.AVAILABLE
                    || (seat.getStatus() == SeatStatus.HELD && seat.getHoldUntil().isBefore(now));
            if (!free) {
                throw new SeatUnavailableException(seat.getId());
            }
        }
        Instant until = now.plus(HOLD_DURATION);
        for (Seat seat : locked) {
            seat.setStatus(SeatStatus.HELD);
            seat.setHeldBy(customerId);
            seat.setHoldUntil(until);
        }
        return until; // flushed on commit
    }

    /** Frees holds whose checkout timed out, so the seat map shows them as available again. */
    @Scheduled(fixedDelayString = "PT1M")
    @Transactional
    public void sweepExpiredHolds() {
        int released = seats.releaseExpiredHolds(Instant.now());
        if (released > 0) {
            log.info("Released {} expired seat holds", released);
        }
    }
}
