package com.haulwise.compliance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

/**
 * Looks up operating authority / insurance status for a carrier before a load is tendered.
 * Called from TenderService.tender() and from the carrier onboarding screen.
 */
@Component
public class CarrierVerificationClient {

    private static final Logger log = LoggerFactory.getLogger(CarrierVerificationClient.class);

    // MC number -> authority snapshot. Authority rarely changes so we keep it for the life of the pod.
    private static final Map<String, CarrierAuthority> authorityByMc = new ConcurrentHashMap<>();

    private final RestTemplate restTemplate = new RestTemplate();

    @Value("${saferwatch.base-url}")
    private String baseUrl;

    @Value("${saferwatch.api-key}")
    private String apiKey;

    public CarrierAuthority lookup(String mcNumber) {
        CarrierAuthority cached = authorityByMc.get(mcNumber);
        if (cached != null) {
            return cached;
        }
        CarrierAuthority fresh = fetchWithRetry(mcNumber);
        authorityByMc.put(mcNumber, fresh);
        return fresh;
    }

    public boolean canTender(String mcNumber) {
        CarrierAuthority a = lookup(mcNumber);
        return a.isAuthorityActive() && a.isCargoInsuranceOnFile() && !a.isOutOfService();
    }

    private CarrierAuthority fetchWithRetry(String mcNumber) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Api-Key", apiKey);
        HttpEntity<Void> req = new HttpEntity<>(headers);
        String url = baseUrl + "/v2/carriers/mc/" + mcNumber;

        int attempt = 0;
        while (true) {
            attempt++;
            try {
                ResponseEntity<CarrierAuthority> resp =
                        restTemplate.exchange(url, HttpMethod.GET, req, CarrierAuthority.class);
                return resp.getBody();
            } catch (HttpClientErrorException.NotFound e) {
                throw new UnknownCarrierException(mcNumber);
            } catch (HttpServerErrorException | ResourceAccessException e) {
                log.warn("saferwatch lookup failed for MC{} (attempt {}): {}", mcNumber, attempt, e.getMessage());
                pause(1000);
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", ie);
        }
    }
}
