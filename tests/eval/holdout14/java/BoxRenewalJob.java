package com.beanhaus.subscriptions.jobs;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nightly renewal of coffee subscription boxes: charge the card, pick this month's
 * roast for the plan, create the shipment and move next_ship_date forward.
 */
@Component
public class BoxRenewalJob {

    private static final Logger log = LoggerFactory.getLogger(BoxRenewalJob.class);

    private final JdbcTemplate jdbc;
    private final RestTemplate payments;

    private final RowMapper<Address> addressMapper = (rs, i) -> new Address(
            rs.getString("line1"), rs.getString("city"), rs.getString("postcode"), rs.getString("country"));

    public BoxRenewalJob(JdbcTemplate jdbc, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.payments = builder
                .rootUri("https://api.brewpay.example/v2")
                .setConnectTimeout(Duration.ofSeconds(3))
                .setReadTimeout(Duration.ofSeconds(10))
                .build();
    }

    // 02:00 every day; ShedLock keeps it to one pod
    @Scheduled(cron = "0 0 2 * * *")
    @SchedulerLock(name = "boxRenewal", lockAtMostFor = "PT50M")
    public void renewDueSubscriptions() {
        List<Subscription> due = jdbc.query(
                "SELECT id, customer_id, plan_id, price_cents FROM subscriptions " +
                "WHERE status = 'ACTIVE' AND next_ship_date <= current_date",
                (rs, i) -> new Subscription(rs.getLong("id"), rs.getLong("customer_id"),
                        rs.getLong("plan_id"), rs.getInt("price_cents")));

        // roasts for this month, one query for all plans
        Map<Long, String> roastByPlan = new HashMap<>();
        jdbc.query("SELECT plan_id, roast_code FROM plan_roasts WHERE month = date_trunc('month', current_date)",
                rs -> { roastByPlan.put(rs.getLong("plan_id"), rs.getString("roast_code")); });

        log.info("renewing {} subscriptions", due.size());
        for (Subscription s : due) {
            Address addr = jdbc.queryForObject(
                    "SELECT line1, city, postcode, country FROM addresses WHERE customer_id = ? AND is_default",
                    addressMapper, s.customerId());
            chargeWithRetry(s);
            createShipment(s, addr, roastByPlan.getOrDefault(s.planId(), "HOUSE"));
        }
    }

    private void chargeWithRetry(Subscription s) {
        int attempt = 0;
        while (true) {
            try {
                payments.postForEntity("/charges",
                        Map.of("customer", s.customerId(), "amount", s.priceCents(), "currency", "usd"),
                        Map.class);
                return;
            } catch (HttpServerErrorException | ResourceAccessException e) {
                attempt++;
                log.warn("charge failed for sub {} (attempt {}): {}", s.id(), attempt, e.getMessage());
                sleep(2000);
            }
        }
    }

    private void createShipment(Subscription s, Address a, String roast) {
        try {
            jdbc.update("INSERT INTO shipments (subscription_id, roast_code, line1, city, postcode, country, created_at) " +
                            "VALUES (?, ?, ?, ?, ?, ?, now())",
                    s.id(), roast, a.line1(), a.city(), a.postcode(), a.country());
            jdbc.update("UPDATE subscriptions SET next_ship_date = next_ship_date + interval '1 month' WHERE id = ?",
                    s.id());
        } catch (DataAccessException e) {
            // shipment probably already exists
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    record Subscription(long id, long customerId, long planId, int priceCents) {}
    record Address(String line1, String city, String postcode, String country) {}
}
