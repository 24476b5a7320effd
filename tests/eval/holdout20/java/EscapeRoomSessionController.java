package games.lockbox.rooms;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live game API used by the game-master console and the in-room hint tablets.
 * lockbox-api runs as 4 pods behind the ingress (round-robin, no sticky sessions).
 */
@RestController
@RequestMapping("/api/rooms")
public class EscapeRoomSessionController {

    /** Running games keyed by session code, e.g. "PHARAOH-0412". */
    private final Map<String, LiveGame> liveGames = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final HighlightRenderer renderer;
    private final ClipStore clipStore;

    public EscapeRoomSessionController(JdbcTemplate jdbc, StringRedisTemplate redis,
                                       HighlightRenderer renderer, ClipStore clipStore) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.renderer = renderer;
        this.clipStore = clipStore;
    }

    static final class LiveGame {
        final String roomId;
        final Instant startedAt = Instant.now();
        volatile int hintsUsed;
        LiveGame(String roomId) { this.roomId = roomId; }
    }

    @PostMapping("/{roomId}/sessions/{code}/start")
    public Map<String, Object> start(@PathVariable String roomId, @PathVariable String code) {
        LiveGame game = liveGames.computeIfAbsent(code, c -> new LiveGame(roomId));
        return Map.of("code", code, "startedAt", game.startedAt.toString());
    }

    @PostMapping("/sessions/{code}/hints")
    public ResponseEntity<?> useHint(@PathVariable String code) {
        LiveGame game = liveGames.get(code);
        if (game == null) {
            return ResponseEntity.notFound().build();
        }
        synchronized (game) {
            if (game.hintsUsed >= 3) {
                return ResponseEntity.status(409).body(Map.of("error", "no hints left"));
            }
            game.hintsUsed++;
        }
        return ResponseEntity.ok(Map.of("hintsUsed", game.hintsUsed));
    }

    @PostMapping("/sessions/{code}/finish")
    public ResponseEntity<?> finish(@PathVariable String code, @RequestParam String teamName,
                                    @RequestParam boolean escaped) {
        LiveGame game = liveGames.remove(code);
        if (game == null) {
            return ResponseEntity.notFound().build();
        }
        long seconds = Duration.between(game.startedAt, Instant.now()).toSeconds();
        jdbc.update("INSERT INTO game_results (session_code, room_id, team_name, escape_seconds, hints_used, escaped, finished_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, now())", code, game.roomId, teamName, seconds, game.hintsUsed, escaped);
        return ResponseEntity.ok(Map.of("escapeSeconds", seconds, "hintsUsed", game.hintsUsed));
    }

    /** Monthly leaderboard on the lobby screens and the public website. */
    @GetMapping("/leaderboard")
    public String leaderboard() {
        String cached = redis.opsForValue().get("leaderboard:month");
        if (cached != null) {
            return cached;
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT team_name, room_id, escape_seconds, hints_used, "
                        + "rank() OVER (PARTITION BY room_id ORDER BY escape_seconds + hints_used * 120) AS pos "
                        + "FROM game_results WHERE finished_at >= date_trunc('month', now()) AND escaped "
                        + "ORDER BY room_id, pos LIMIT 100");
        String body = rows.toString();
        redis.opsForValue().set("leaderboard:month", body, Duration.ofSeconds(60));
        return body;
    }

    /** After the game the team can buy a highlight reel stitched from the room cameras. */
    @PostMapping("/sessions/{code}/highlight-reel")
    public Map<String, String> highlightReel(@PathVariable String code) throws Exception {
        List<Path> clips = clipStore.clipsForSession(code);   // one clip per camera, 60 min each
        Path workDir = Files.createTempDirectory("reel-" + code);
        Path reel = renderer.stitchAndEncode(clips, workDir.resolve("reel.mp4"));
        String url = clipStore.upload(reel);
        return Map.of("code", code, "url", url);
    }
}
