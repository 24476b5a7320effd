package com.linguabridge.vendors;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Client for the freelance-translator marketplace API (job offers, status).
 * One HttpClient per application (it pools connections internally).
 */
@Service
public class VendorApiClient {

    private static final Logger log = LoggerFactory.getLogger(VendorApiClient.class);
    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 3_000;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_2)
            .build();
    private final ObjectMapper mapper;
    private final URI baseUri;
    private final String apiKey;

    public VendorApiClient(ObjectMapper mapper,
                           @Value("${vendors.api.base-url}") String baseUrl,
                           @Value("${vendors.api.key}") String apiKey) {
        this.mapper = mapper;
        this.baseUri = URI.create(baseUrl);
        this.apiKey = apiKey;
    }

    public OfferResult offerJob(JobOffer offer) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(baseUri.resolve("/v1/offers"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey)
                .header("Idempotency-Key", offer.jobId())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(offer)))
                .build();

        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() < 500 && res.statusCode() != 429) {
                    if (res.statusCode() >= 400) {
                        throw new VendorApiException(res.statusCode(), res.body());
                    }
                    return mapper.readValue(res.body(), OfferResult.class);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new VendorApiException(res.statusCode(), res.body());
                }
            } catch (IOException e) {
                log.warn("offer {} attempt {} failed: {}", offer.jobId(), attempt, e.toString());
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
            long cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * (1L << (attempt - 1)));
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1)); // exponential, jittered
        }
    }

    public record JobOffer(String jobId, String sourceLang, String targetLang, int wordCount) {}
    public record OfferResult(String offerId, String status) {}
}
