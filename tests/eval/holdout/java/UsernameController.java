package com.example.users;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/users")
public class UsernameController {

    private final UserRepository users;

    public UsernameController(UserRepository users) {
        this.users = users;
    }

    @PostMapping
    public ResponseEntity<?> register(@RequestBody SignupRequest req) {
        try {
            User saved = users.saveAndFlush(new User(req.username().toLowerCase(), req.email()));
            return ResponseEntity.status(HttpStatus.CREATED).body(saved.getId());
        } catch (DataIntegrityViolationException e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body("username taken");
        }
    }

    @GetMapping("/{username}/available")
    public boolean available(@PathVariable String username) {
        return !users.existsByUsername(username.toLowerCase());
    }
}
