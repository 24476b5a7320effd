package com.example.games;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/games/{gameId}")
public class LeaderboardService {

    private final StringRedisTemplate redis;

    public LeaderboardService(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @PostMapping("/score")
    public long addScore(@PathVariable String gameId, @RequestParam String player, @RequestParam long points) {
        String key = "score:" + gameId + ":" + player;
        String current = redis.opsForValue().get(key);
        long total = (current == null ? 0 : Long.parseLong(current)) + points;
        redis.opsForValue().set(key, Long.toString(total));
        redis.opsForZSet().add("board:" + gameId, player, total);
        return total;
    }

    @PostMapping("/plays")
    public long countPlay(@PathVariable String gameId) {
        Long plays = redis.opsForValue().increment("plays:" + gameId);
        return plays == null ? 0 : plays;
    }
}
