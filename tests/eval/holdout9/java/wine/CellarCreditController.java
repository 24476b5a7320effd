package com.vinclub.subscriptions.api;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import com.vinclub.subscriptions.domain.Member;
import com.vinclub.subscriptions.domain.MemberRepository;
import com.vinclub.subscriptions.domain.WinePick;
import com.vinclub.subscriptions.domain.WineRepository;

@RestController
@RequestMapping("/api/club")
public class CellarCreditController {

    private static final String FEATURED_KEY = "featured:picks:v2";

    private final MemberRepository members;
    private final WineRepository wines;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;

    public CellarCreditController(MemberRepository members, WineRepository wines,
                                  StringRedisTemplate redis, ObjectMapper mapper) {
        this.members = members;
        this.wines = wines;
        this.redis = redis;
        this.mapper = mapper;
    }

    // Members redeem cellar credit against a bottle. Credit is topped up monthly by BillingJob.
    @PostMapping("/members/{memberId}/redeem")
    @Transactional
    public ResponseEntity<?> redeem(@PathVariable Long memberId, @RequestParam int amountCents) {
        Member m = members.findById(memberId).orElseThrow();
        int balance = m.getCreditCents();
        if (balance < amountCents) {
            return ResponseEntity.badRequest().body("insufficient credit");
        }
        m.setCreditCents(balance - amountCents);
        members.save(m);
        return ResponseEntity.ok(m.getCreditCents());
    }

    // Featured picks for the homepage carousel -- same list for every visitor.
    @GetMapping("/featured-picks")
    public List<WinePick> featured() throws JsonProcessingException {
        String cached = redis.opsForValue().get(FEATURED_KEY);
        if (cached != null) {
            return mapper.readValue(cached, new TypeReference<List<WinePick>>() {});
        }
        // ranks every wine by rating x stock x margin -- ~4s on prod data
        List<WinePick> picks = wines.rankFeaturedPicks();
        redis.opsForValue().set(FEATURED_KEY, mapper.writeValueAsString(picks), Duration.ofMinutes(10));
        return picks;
    }

    @PutMapping("/members/{memberId}/preferences")
    public ResponseEntity<Void> updatePreferences(@PathVariable Long memberId, @RequestBody String prefsJson) {
        try {
            Member m = members.getReferenceById(memberId);
            m.setPreferences(mapper.readTree(prefsJson));
            members.save(m);
        } catch (Exception e) {
            // bad prefs from old app versions, ignore
        }
        return ResponseEntity.ok().build();
    }
}
