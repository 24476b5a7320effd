package com.gridline.billing.sync;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Pulls latest interval reads from the AMI head-end for every active meter.
 * Billing run (MonthlyBillRun) reads meter_readings, so this must finish before the 1st.
 */
@Component
public class MeterReadSyncJob {

    private static final Logger LOG = LoggerFactory.getLogger(MeterReadSyncJob.class);

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Value("${headend.url}")
    private String headendUrl;

    @Value("${headend.api-key}")
    private String apiKey;

    private final RestTemplate rest = new RestTemplate();

    // every 15 min
    @Scheduled(cron = "0 */15 * * * *")
    public void sync() {
        List<Map<String, Object>> meters = jdbcTemplate.queryForList(
                "select id, serial_no from meters where active = true and ami_enabled = true");
        LOG.info("meter sync: {} meters", meters.size());

        List<Object[]> batch = new ArrayList<>();
        for (Map<String, Object> m : meters) {
            String serial = (String) m.get("serial_no");
            // TODO head-end also has POST /reads/latest taking up to 500 serials
            ReadingDto r = fetchLatest(serial);
            if (r == null) {
                continue;
            }
            batch.add(new Object[] { m.get("id"), Timestamp.from(r.getReadAt()), r.getKwh() });
        }

        jdbcTemplate.batchUpdate(
                "insert into meter_readings (meter_id, read_at, kwh) values (?, ?, ?) "
                        + "on conflict (meter_id, read_at) do nothing",
                batch);
        LOG.info("meter sync: stored {} reads", batch.size());
    }

    ReadingDto fetchLatest(String serial) {
        HttpHeaders h = new HttpHeaders();
        h.set("X-Api-Key", apiKey);
        int tries = 0;
        while (true) {
            try {
                return rest.exchange(headendUrl + "/meters/" + serial + "/reads/latest",
                        HttpMethod.GET, new HttpEntity<>(h), ReadingDto.class).getBody();
            } catch (RestClientException e) {
                tries++;
                if (tries >= 5) {
                    LOG.warn("giving up on meter {} after {} tries: {}", serial, tries, e.getMessage());
                    return null;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    public static class ReadingDto {
        private java.time.Instant readAt;
        private BigDecimal kwh;

        public java.time.Instant getReadAt() { return readAt; }
        public void setReadAt(java.time.Instant readAt) { this.readAt = readAt; }
        public BigDecimal getKwh() { return kwh; }
        public void setKwh(BigDecimal kwh) { this.kwh = kwh; }
    }
}
