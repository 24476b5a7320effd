package com.haulbridge.quotes;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

@Service
public class CarrierQuoteService {
    private static final Logger log = LoggerFactory.getLogger(CarrierQuoteService.class);

    private final JdbcTemplate jdbc;
    private final RestTemplate rest = new RestTemplate();

    public CarrierQuoteService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // called from LoadBoardController#openLoads
    public List<LoadView> openLoadsForBroker(long brokerId) {
        List<Load> loads = jdbc.query(
            "select id, shipper_id, origin, destination, weight_lbs from loads " +
            "where broker_id = ? and status = 'OPEN' order by pickup_date limit 100",
            (rs, i) -> new Load(rs.getLong("id"), rs.getLong("shipper_id"), rs.getString("origin"),
                                rs.getString("destination"), rs.getInt("weight_lbs")),
            brokerId);

        List<LoadView> out = new ArrayList<>();
        for (Load l : loads) {
            String shipper = jdbc.queryForObject("select name from shippers where id = ?", String.class, l.shipperId());
            out.add(new LoadView(l, shipper));
        }
        return out;
    }

    // spot rate from the carrier's own API; some carriers 503 a lot so keep trying
    public BigDecimal spotRate(String carrierScac, Load load) {
        String url = "https://rates." + carrierScac.toLowerCase() + ".example.com/v2/spot?o={o}&d={d}&w={w}";
        RateResponse r = null;
        int attempt = 0;
        while (r == null) {
            attempt++;
            try {
                r = rest.getForObject(url, RateResponse.class, load.origin(), load.destination(), load.weightLbs());
            } catch (RestClientException e) {
                log.warn("rate call failed for {} attempt {}: {}", carrierScac, attempt, e.getMessage());
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return r.amount();
    }

    public record Load(long id, long shipperId, String origin, String destination, int weightLbs) {}
    public record LoadView(Load load, String shipperName) {}
    record RateResponse(BigDecimal amount, String currency) {}
}
