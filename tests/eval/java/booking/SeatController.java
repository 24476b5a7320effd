package com.example.booking;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/seats")
public class SeatController {

    private final SeatService service;

    public SeatController(SeatService service) {
        this.service = service;
    }

    @PostMapping("/{seatId}/hold")
    public ResponseEntity<Hold> hold(@PathVariable long seatId, @AuthenticationPrincipal AppUser user) {
        return ResponseEntity.status(201).body(service.hold(seatId, user.getId()));
    }

    @PostMapping("/holds/{holdId}/confirm")
    public ResponseEntity<Void> confirm(@PathVariable long holdId, @AuthenticationPrincipal AppUser user) {
        service.confirm(holdId, user.getId());
        return ResponseEntity.noContent().build();
    }
}
