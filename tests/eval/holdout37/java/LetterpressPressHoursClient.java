package studio.inkandiron.presshours;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pushes press-hour bookings (Albion, Vandercook, Adana) from the studio's members'
 * app to the shared calendar provider, so the press room screen shows who is on which
 * press. One HttpClient is shared for the whole application.
 */
@Component
public class LetterpressPressHoursClient {

    private static final Logger log = LoggerFactory.getLogger(LetterpressPressHoursClient.class);

    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 250;
    private static final long MAX_DELAY_MS = 4_000;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_2)
            .build();

    private final URI calendarEndpoint;
    private final String token;

    public LetterpressPressHoursClient(CalendarProperties props) {
        this.calendarEndpoint = URI.create(props.baseUrl() + "/v2/calendars/" + props.calendarId() + "/events");
        this.token = props.token();
    }

    /** Creates the calendar event; bookingId doubles as the provider's idempotency key. */
    public void publish(String bookingId, String eventJson) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(calendarEndpoint)
                .timeout(Duration.ofSeconds(8))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "press-booking-" + bookingId)
                .POST(HttpRequest.BodyPublishers.ofString(eventJson))
                .build();

        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 300) {
                    return;
                }
                if (status < 500 && status != 429) {
                    throw new CalendarRejectedException(bookingId, status, response.body());
                }
                log.warn("Calendar returned {} for booking {} (attempt {}/{})", status, bookingId, attempt, MAX_ATTEMPTS);
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IOException("Calendar still failing after " + attempt + " attempts, status " + status);
                }
            } catch (IOException e) {
                log.warn("Calendar call for booking {} failed (attempt {}/{})", bookingId, attempt, MAX_ATTEMPTS, e);
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
            // exponential backoff, capped, with full jitter
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 1));
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        }
    }
}
