package com.bluewater.charters.broker;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestTemplate;

import com.bluewater.charters.fleet.Yacht;
import com.bluewater.charters.fleet.YachtRepository;

/**
 * Talks to the broker network (MMK-style booking API) to get weekly charter
 * quotes for the yachts we list. Used by the search page and the quote widget.
 */
@Service
public class CharterAvailabilityClient {

    private static final Logger log = LoggerFactory.getLogger(CharterAvailabilityClient.class);

    private final RestTemplate rest = new RestTemplate();

    // brokerRef|week -> quote. Quotes don't change much within a day.
    private final Map<String, WeeklyQuote> quotes = new ConcurrentHashMap<>();

    private final YachtRepository yachts;

    @Value("${broker.base-url}")
    private String brokerBaseUrl;

    @Value("${broker.api-key}")
    private String apiKey;

    public CharterAvailabilityClient(YachtRepository yachts) {
        this.yachts = yachts;
    }

    public List<WeeklyQuote> searchAvailable(String marina, LocalDate weekStart, int minBerths) {
        List<Yacht> fleet = yachts.findByHomeMarinaAndBerthsGreaterThanEqual(marina, minBerths);
        List<WeeklyQuote> available = new ArrayList<>();

        for (Yacht yacht : fleet) {
            String key = yacht.getBrokerRef() + "|" + weekStart;
            WeeklyQuote quote = quotes.get(key);
            if (quote == null) {
                quote = fetchQuote(yacht.getBrokerRef(), weekStart);
                if (quote != null) {
                    quotes.put(key, quote);
                }
            }
            if (quote != null && quote.available()) {
                available.add(quote);
            }
        }
        available.sort((a, b) -> a.priceEur().compareTo(b.priceEur()));
        return available;
    }

    private WeeklyQuote fetchQuote(String brokerRef, LocalDate weekStart) {
        try {
            return rest.getForObject(
                brokerBaseUrl + "/v2/yachts/{ref}/quote?week={week}&key={key}",
                WeeklyQuote.class, brokerRef, weekStart, apiKey);
        } catch (HttpClientErrorException.NotFound e) {
            log.warn("broker does not know yacht {}", brokerRef);
            return null;
        }
    }

    public ReservationStatus optionStatus(String optionId) {
        return rest.getForObject(brokerBaseUrl + "/v2/options/{id}?key={key}",
            ReservationStatus.class, optionId, apiKey);
    }
}
