package com.example.auth;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.bind.annotation.*;

/** Login sessions. Kubernetes deployment with 3 replicas. */
@RestController
public class SessionRegistry {

    private final Map<String, Long> sessions = new ConcurrentHashMap<>();

    @PostMapping("/sessions")
    public String login(@RequestParam long userId) {
        String token = UUID.randomUUID().toString();
        sessions.put(token, userId);
        return token;
    }

    @GetMapping("/sessions/{token}")
    public Long whoAmI(@PathVariable String token) {
        return sessions.get(token);
    }

    @DeleteMapping("/sessions/{token}")
    public void logout(@PathVariable String token) {
        sessions.remove(token);
    }
}
