package nhs.transplant.lookup;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Client for the national organ donor registry lookup API, used by the specialist nurse
 * screen. One HttpClient (and its connection pool) for the whole application.
 */
@Component
public class DonorRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(DonorRegistryClient.class);

    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 3_000;

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI baseUri;
    private final RegistryTokenProvider tokens;

    public DonorRegistryClient(ObjectMapper json, RegistryProperties props, RegistryTokenProvider tokens) {
        this.json = json;
        this.baseUri = props.baseUri();
        this.tokens = tokens;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_2)
                .build();
    }

    public RegistryDecision lookup(String nhsNumber) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        baseUri.resolve("/v1/decisions?nhs_number=" + URLEncoder.encode(nhsNumber, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + tokens.current())
                .header("Accept", "application/json")
                .GET()
                .build();

        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = res.statusCode();
                if (status == 200) {
                    return json.readValue(res.body(), RegistryDecision.class);
                }
                if (status == 404) {
                    return RegistryDecision.noRecord(nhsNumber);
                }
                if (status != 429 && status < 500) {
                    throw new RegistryException("registry rejected lookup: HTTP " + status);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new RegistryException("registry unavailable after " + attempt + " attempts: HTTP " + status);
                }
                log.warn("registry returned {} (attempt {}/{})", status, attempt, MAX_ATTEMPTS);
            } catch (IOException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    log.error("registry lookup failed after {} attempts", attempt, e);
                    throw e;
                }
                log.warn("registry I/O error (attempt {}/{}): {}", attempt, MAX_ATTEMPTS, e.toString());
            }
            // Exponential backoff with full jitter, capped.
            long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 1));
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        }
    }

    public static final class RegistryException extends RuntimeException {
        RegistryException(String message) {
            super(message);
        }
    }
}
