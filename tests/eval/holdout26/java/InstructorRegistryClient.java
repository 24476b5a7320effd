package com.riverpaddle.instructors.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Verifies kayak instructor certifications (Level 2 coach, white-water safety & rescue,
 * first aid) against the national paddlesport body's registry before an instructor can be
 * assigned to a session. Called from the rota screen and from the nightly roster import.
 */
@Component
public class InstructorRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(InstructorRegistryClient.class);
    private static final int MAX_ATTEMPTS = 4;

    // membership number -> last verified status; the registry is slow, so remember answers
    private static final Map<String, CertificationStatus> verified = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String apiKey;

    public InstructorRegistryClient(ObjectMapper mapper,
                                    @Value("${registry.base-url}") String baseUrl,
                                    @Value("${registry.api-key}") String apiKey) {
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public record CertificationStatus(String membershipNumber, String coachLevel,
                                      boolean safetyAndRescueValid, boolean firstAidValid,
                                      String validUntil) {
        static CertificationStatus unknown(String number) {
            return new CertificationStatus(number, "NONE", false, false, null);
        }
    }

    public CertificationStatus verify(String membershipNumber) throws InterruptedException {
        CertificationStatus known = verified.get(membershipNumber);
        if (known != null) {
            return known;
        }

        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/members/"
                        + URLEncoder.encode(membershipNumber, StandardCharsets.UTF_8) + "/certifications"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json")
                .GET()
                .build();

        IOException lastError = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 404) {
                    return CertificationStatus.unknown(membershipNumber);
                }
                if (response.statusCode() >= 500) {
                    log.warn("registry returned {} for {} (attempt {}/{})",
                            response.statusCode(), membershipNumber, attempt, MAX_ATTEMPTS);
                    continue;
                }
                CertificationStatus status = mapper.readValue(response.body(), CertificationStatus.class);
                verified.put(membershipNumber, status);
                return status;
            } catch (IOException e) {
                lastError = e;
                log.warn("registry call failed for {} (attempt {}/{})", membershipNumber, attempt, MAX_ATTEMPTS, e);
            }
        }
        throw new RegistryUnavailableException(
                "certification registry unavailable for " + membershipNumber, lastError);
    }
}
