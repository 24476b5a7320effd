// Short answer: no, the per-user key is correct here. Free/busy is different for every professor,
// so "freebusy:" + email + ":" + week is exactly the key you want - sharing one entry across
// users would show someone else's calendar. What *was* a problem in your version:
//   1. the HashMap never evicted anything (every professor x every week, forever), and
//   2. on a miss, concurrent requests for the same professor all called Graph at once.
// Caffeine fixes both: maximumSize + expireAfterWrite bound it, and cache.get(key, loader) runs the
// loader once per key while other callers for that key wait for the same result.
// I also put a connect timeout on the client and a per-request timeout on the call.

package edu.northfield.gradschool.defence;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/defences")
public class CommitteeAvailabilityController {

    private static final Logger log = LoggerFactory.getLogger(CommitteeAvailabilityController.class);

    private final HttpClient graph = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private final Cache<String, List<BusyBlock>> freeBusy = Caffeine.newBuilder()
            .maximumSize(5_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    private final GraphTokenProvider tokens;
    private final BusyBlockParser parser;

    public CommitteeAvailabilityController(GraphTokenProvider tokens, BusyBlockParser parser) {
        this.tokens = tokens;
        this.parser = parser;
    }

    /** The logged-in professor's own busy blocks for one ISO week ("my week" panel when proposing a defence date). */
    @GetMapping("/me/free-busy")
    public List<BusyBlock> myFreeBusy(@AuthenticationPrincipal Jwt jwt, @RequestParam String week) {
        String email = jwt.getClaimAsString("email");
        String key = "freebusy:" + email + ":" + week;
        return freeBusy.get(key, k -> loadFreeBusy(email, week));
    }

    private List<BusyBlock> loadFreeBusy(String email, String isoWeek) {
        LocalDate monday = LocalDate.parse(isoWeek + "-1", DateTimeFormatter.ISO_WEEK_DATE);
        String body = """
                {"schedules": ["%s"],
                 "startTime": {"dateTime": "%sT07:00:00", "timeZone": "Europe/London"},
                 "endTime":   {"dateTime": "%sT19:00:00", "timeZone": "Europe/London"},
                 "availabilityViewInterval": 30}
                """.formatted(email, monday, monday.plusDays(4));
        HttpRequest req = HttpRequest.newBuilder(URI.create(
                        "https://graph.microsoft.com/v1.0/users/" + URLEncoder.encode(email, UTF_8) + "/calendar/getSchedule"))
                .timeout(Duration.ofSeconds(8))
                .header("Authorization", "Bearer " + tokens.appToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> resp = graph.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new CalendarUnavailableException("Graph returned " + resp.statusCode() + " for " + email);
            }
            return parser.parse(resp.body());
        } catch (IOException e) {
            log.warn("free/busy lookup failed for {}", email, e);
            throw new CalendarUnavailableException("calendar lookup failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CalendarUnavailableException("interrupted", e);
        }
    }
}

// If you later need the whole committee at once, send all members' addresses in one getSchedule
// call (it accepts up to 20 schedules) rather than calling it once per member.
