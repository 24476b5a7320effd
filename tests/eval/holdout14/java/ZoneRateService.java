// You're right that the plain HashMap would grow forever. Here's the updated service
// using Caffeine with a size bound and a 10-minute TTL, so memory stays flat.
// Zone rates come from the city's permit pricing API and change at most once a day.

package gov.eastport.permits.pricing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

import java.math.BigDecimal;
import java.time.Duration;

@Service
public class ZoneRateService {

    private final RestTemplate restTemplate = new RestTemplate();

    /** Bounded: at most 10k entries, each refreshed after 10 minutes. */
    private final Cache<String, ZoneRate> rateCache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    @Value("${permits.pricing.base-url}")
    private String pricingBaseUrl;

    /**
     * Returns the current residential permit rate for a zone.
     * Caffeine's get(key, loader) makes sure only one thread loads a missing entry.
     */
    public ZoneRate rateFor(long residentId, String zoneCode) {
        String cacheKey = residentId + ":" + zoneCode.toUpperCase();
        return rateCache.get(cacheKey, k -> fetchRate(zoneCode));
    }

    private ZoneRate fetchRate(String zoneCode) {
        ResponseEntity<ZoneRate> resp = restTemplate.getForEntity(
                pricingBaseUrl + "/zones/{zone}/rates", ZoneRate.class, zoneCode);
        if (!resp.getStatusCode().is2xxSuccessful() || resp.getBody() == null) {
            throw new IllegalStateException("pricing API returned " + resp.getStatusCode());
        }
        return resp.getBody();
    }

    public record ZoneRate(String zoneCode, BigDecimal annualFee, BigDecimal monthlyFee, int maxVehicles) {}
}

@RestController
@RequestMapping("/api/permits")
class PermitQuoteController {

    private final ZoneRateService rates;

    PermitQuoteController(ZoneRateService rates) {
        this.rates = rates;
    }

    @GetMapping("/quote")
    public QuoteResponse quote(@RequestParam String zone,
                               @RequestParam(defaultValue = "1") int vehicles,
                               @AuthenticationPrincipal Resident resident) {
        ZoneRateService.ZoneRate r = rates.rateFor(resident.id(), zone);
        if (vehicles > r.maxVehicles()) {
            return QuoteResponse.rejected("Zone " + zone + " allows at most " + r.maxVehicles() + " vehicles");
        }
        return QuoteResponse.ok(r.annualFee().multiply(BigDecimal.valueOf(vehicles)));
    }
}
