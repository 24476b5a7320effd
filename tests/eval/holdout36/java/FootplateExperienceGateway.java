package org.valleysteam.footplate.partner;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Talks to the heritage-rail partner platform that sells our footplate
 * experiences (driver-for-a-day, fireman taster, evening shed tour).
 *
 * Quotes depend on locomotive class, date and crew size; confirmed experiences
 * are pushed back so the partner's availability stays in step with ours.
 */
@Component
public class FootplateExperienceGateway {

    private static final Logger log = LoggerFactory.getLogger(FootplateExperienceGateway.class);
    private static final int MAX_PUSH_ATTEMPTS = 5;

    private final RestTemplate restTemplate = new RestTemplate();

    // Quotes only change when the partner republishes the fare tables.
    private final Map<String, FareQuote> quoteCache = new ConcurrentHashMap<>();

    private final String baseUrl;
    private final String apiKey;

    public FootplateExperienceGateway(@Value("${partner.base-url}") String baseUrl,
                                      @Value("${partner.api-key}") String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public FareQuote quote(String locoClass, LocalDate runningDay, int crewSize) {
        String cacheKey = locoClass + "|" + runningDay + "|" + crewSize;
        return quoteCache.computeIfAbsent(cacheKey, k -> fetchQuote(locoClass, runningDay, crewSize));
    }

    private FareQuote fetchQuote(String locoClass, LocalDate runningDay, int crewSize) {
        String url = UriComponentsBuilder.fromHttpUrl(baseUrl)
                .path("/v2/quotes")
                .queryParam("loco_class", locoClass)
                .queryParam("date", runningDay)
                .queryParam("crew", crewSize)
                .queryParam("key", apiKey)
                .toUriString();
        FareQuote quote = restTemplate.getForObject(url, FareQuote.class);
        if (quote == null) {
            throw new PartnerUnavailableException("Empty quote for " + locoClass + " on " + runningDay);
        }
        return quote;
    }

    public void pushConfirmation(ExperienceBooking booking) {
        Map<String, Object> payload = Map.of(
                "reference", booking.reference(),
                "experience", booking.experienceCode(),
                "loco_class", booking.locoClass(),
                "date", booking.runningDay().toString(),
                "participants", booking.participants());

        String url = baseUrl + "/v2/experiences?key=" + apiKey;
        for (int attempt = 1; attempt <= MAX_PUSH_ATTEMPTS; attempt++) {
            try {
                restTemplate.postForEntity(url, payload, Void.class);
                return;
            } catch (ResourceAccessException | HttpServerErrorException e) {
                log.warn("Partner push for {} failed on attempt {}/{}: {}",
                        booking.reference(), attempt, MAX_PUSH_ATTEMPTS, e.getMessage());
            }
        }
        throw new PartnerUnavailableException("Could not push " + booking.reference() + " to partner");
    }

    public record FareQuote(String locoClass, LocalDate date, int crew, long pricePence, String currency) {}

    public record ExperienceBooking(String reference, String experienceCode, String locoClass,
                                    LocalDate runningDay, int participants) {}
}
