package link.snip.api;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Production-ready URL shortener endpoints.
 *
 * - Codes are generated randomly; collisions are handled by the unique index on short_links.code
 *   (INSERT ... ON CONFLICT DO NOTHING, retry with a new code).
 * - Redirect lookups go through a bounded Caffeine cache (100k entries, 5 min TTL).
 * - Click counts are incremented atomically in SQL, so concurrent redirects never lose a click.
 * - Anonymous links expire after 24 hours; signed-in users may pick an expiry or none.
 */
@RestController
public class LinkController {

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final Cache<String, String> targets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    public LinkController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/api/links")
    public ResponseEntity<LinkResponse> create(@RequestBody CreateLinkRequest req,
                                               @AuthenticationPrincipal SnipUser user) {
        OffsetDateTime expiresAt = user == null
                ? OffsetDateTime.now().plusHours(24)
                : req.expiresAt(); // may be null = never expires
        for (int i = 0; i < 5; i++) {
            String code = randomCode(7);
            int inserted = jdbc.update(
                    "INSERT INTO short_links (code, target_url, owner_id, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                    code, req.url(), user == null ? null : user.id(), expiresAt);
            if (inserted == 1) {
                return ResponseEntity.status(HttpStatus.CREATED).body(new LinkResponse(code, "https://snip.link/" + code, expiresAt));
            }
        }
        throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "could not allocate a code");
    }

    @GetMapping("/{code:[A-Za-z0-9]{7}}")
    public ResponseEntity<Void> redirect(@PathVariable String code) {
        String target = targets.get(code, this::lookupTarget);
        if (target == null) {
            return ResponseEntity.notFound().build();
        }
        jdbc.update("UPDATE short_links SET click_count = click_count + 1, last_clicked_at = now() WHERE code = ?", code);
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(target)).build();
    }

    private String lookupTarget(String code) {
        return jdbc.query(
                "SELECT target_url FROM short_links WHERE code = ? AND (expires_at IS NULL OR expires_at > now())",
                rs -> rs.next() ? rs.getString(1) : null, code);
    }

    @GetMapping("/api/links/{code}/stats")
    public LinkStats stats(@PathVariable String code, @AuthenticationPrincipal SnipUser user) {
        return Optional.ofNullable(jdbc.query(
                        "SELECT code, click_count, last_clicked_at, expires_at FROM short_links WHERE code = ? AND owner_id = ?",
                        rs -> rs.next() ? LinkStats.from(rs) : null, code, user.id()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private static String randomCode(int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
