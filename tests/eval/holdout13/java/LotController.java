package com.gallerybid.lots;

import java.io.IOException;
import java.math.BigDecimal;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import lombok.RequiredArgsConstructor;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

// auction-api: 3 pods behind the ALB (see helm/values-prod.yaml), sticky sessions off
@RestController
@RequestMapping("/lots")
@RequiredArgsConstructor
public class LotController {

    private static final TypeReference<List<FeaturedLot>> FEATURED_TYPE = new TypeReference<>() {};

    private final LotRepository lots;
    private final BidRepository bids;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;

    /** lotId -> browsers watching that lot live */
    private final Map<Long, List<SseEmitter>> watchers = new ConcurrentHashMap<>();

    @GetMapping(value = "/{id}/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter watch(@PathVariable Long id) {
        SseEmitter emitter = new SseEmitter(Duration.ofMinutes(30).toMillis());
        watchers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(emitter);
        emitter.onCompletion(() -> watchers.getOrDefault(id, List.of()).remove(emitter));
        emitter.onTimeout(emitter::complete);
        return emitter;
    }

    @PostMapping("/{id}/bids")
    @Transactional
    public BidView placeBid(@PathVariable Long id, @RequestBody BidRequest req, Principal principal) {
        Lot lot = lots.findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));

        if (lot.getClosesAt().isBefore(Instant.now())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Bidding on this lot has closed");
        }
        BigDecimal minimum = lot.getCurrentBid().add(lot.getIncrement());
        if (req.amount().compareTo(minimum) < 0) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Minimum bid is " + minimum);
        }

        lot.setCurrentBid(req.amount());
        lot.setLeadingBidder(principal.getName());
        lot.setBidCount(lot.getBidCount() + 1);
        lots.save(lot);
        bids.save(new Bid(lot.getId(), principal.getName(), req.amount(), Instant.now()));

        BidView view = new BidView(lot.getId(), req.amount(), lot.getBidCount());
        broadcast(id, view);
        return view;
    }

    /** Homepage carousel: most contested open lots. */
    @GetMapping("/featured")
    public List<FeaturedLot> featured() throws JsonProcessingException {
        String cached = redis.opsForValue().get("lots:featured");
        if (cached != null) {
            return mapper.readValue(cached, FEATURED_TYPE);
        }
        List<FeaturedLot> result = jdbc.query("""
                SELECT l.id, l.title, a.name AS artist, COUNT(b.id) AS bid_count,
                       MAX(b.amount) AS top_bid, COUNT(DISTINCT w.user_id) AS watching
                  FROM lots l
                  JOIN artists a ON a.id = l.artist_id
                  LEFT JOIN bids b ON b.lot_id = l.id
                  LEFT JOIN lot_watchlist w ON w.lot_id = l.id
                 WHERE l.closes_at > now()
                 GROUP BY l.id, l.title, a.name
                 ORDER BY bid_count DESC, watching DESC
                 LIMIT 12
                """, FeaturedLot.ROW_MAPPER);
        redis.opsForValue().set("lots:featured", mapper.writeValueAsString(result), Duration.ofSeconds(30));
        return result;
    }

    private void broadcast(Long lotId, BidView view) {
        for (SseEmitter e : watchers.getOrDefault(lotId, List.of())) {
            try {
                e.send(SseEmitter.event().name("bid").data(view));
            } catch (IOException ex) {
                e.completeWithError(ex);
            }
        }
    }

    public record BidRequest(BigDecimal amount) {}

    public record BidView(Long lotId, BigDecimal amount, int bidCount) {}
}
