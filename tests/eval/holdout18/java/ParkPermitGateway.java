package is.glacierwalks.permits;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrapper around the national park permit API (Vatnajokull glacier zones).
 * Every guided walk needs a permit per guest; the park issues them per route and day.
 */
@Component
public class ParkPermitGateway {

    private static final Logger log = LoggerFactory.getLogger(ParkPermitGateway.class);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    // "ROUTE|yyyy-mm-dd" -> availability, so the booking page doesn't hit the park API every time
    private final Map<String, Availability> availabilityByRouteDay = new ConcurrentHashMap<>();

    @Value("${park.api.base-url}")
    private String baseUrl;

    @Value("${park.api.key}")
    private String apiKey;

    public record Availability(String routeCode, LocalDate date, int remaining) {}
    public record PermitReceipt(String permitNumber, int guests) {}

    public Availability availability(String routeCode, LocalDate date) {
        return availabilityByRouteDay.computeIfAbsent(routeCode + "|" + date, k -> fetchAvailability(routeCode, date));
    }

    private Availability fetchAvailability(String routeCode, LocalDate date) {
        HttpRequest req = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/v2/routes/" + routeCode + "/availability?date=" + date))
                .header("X-Api-Key", apiKey)
                .GET()
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return mapper.readValue(resp.body(), Availability.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reserves permits; the park API dedupes on the Idempotency-Key so resending is safe. */
    public PermitReceipt reserve(String routeCode, LocalDate date, int guests, String bookingRef)
            throws IOException, InterruptedException {
        String body = mapper.writeValueAsString(Map.of("route", routeCode, "date", date.toString(), "guests", guests));
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/permits"))
                .header("X-Api-Key", apiKey)
                .header("Idempotency-Key", bookingRef)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        int attempt = 0;
        while (true) {
            attempt++;
            try {
                HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 201) {
                    return mapper.readValue(resp.body(), PermitReceipt.class);
                }
                if (resp.statusCode() < 500 && resp.statusCode() != 429) {
                    throw new PermitRejectedException(resp.statusCode(), resp.body());
                }
                log.warn("permit API returned {} for {} (attempt {})", resp.statusCode(), bookingRef, attempt);
            } catch (IOException e) {
                log.warn("permit API unreachable for {} (attempt {}): {}", bookingRef, attempt, e.getMessage());
            }
            Thread.sleep(2000);
        }
    }
}

@RestController
@RequestMapping("/api/tours")
class TourPermitController {

    private final ParkPermitGateway permits;

    TourPermitController(ParkPermitGateway permits) {
        this.permits = permits;
    }

    @GetMapping("/{routeCode}/availability")
    public ParkPermitGateway.Availability availability(@PathVariable String routeCode, @RequestParam LocalDate date) {
        return permits.availability(routeCode, date);
    }

    @PostMapping("/bookings/{bookingRef}/permits")
    public ResponseEntity<ParkPermitGateway.PermitReceipt> issue(@PathVariable String bookingRef,
                                                                 @RequestParam String routeCode,
                                                                 @RequestParam LocalDate date,
                                                                 @RequestParam int guests) throws Exception {
        return ResponseEntity.ok(permits.reserve(routeCode, date, guests, bookingRef));
    }
}
