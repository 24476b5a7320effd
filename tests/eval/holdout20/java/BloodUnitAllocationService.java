package org.regionalblood.inventory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocates red-cell units to hospital requests and books the courier run.
 */
@Service
public class BloodUnitAllocationService {

    private static final Logger log = LoggerFactory.getLogger(BloodUnitAllocationService.class);

    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 250;
    private static final long MAX_DELAY_MS = 4_000;

    private final JdbcTemplate jdbc;
    private final RestTemplate courierApi;

    public BloodUnitAllocationService(JdbcTemplate jdbc, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.courierApi = builder
                .rootUri("https://dispatch.medcourier.example/api")
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(8))
                .build();
    }

    /**
     * Reserves {@code units} units of the given group for a hospital request, oldest
     * collection first. Rows are locked so two pharmacists allocating O-negative at the
     * same moment cannot receive the same bag; SKIP LOCKED lets the second one take the
     * next bags instead of waiting.
     */
    @Transactional
    public List<Long> allocate(long requestId, String aboRh, int units) {
        List<Long> unitIds = jdbc.queryForList(
                "SELECT id FROM blood_units WHERE abo_rh = ? AND status = 'AVAILABLE' "
                        + "ORDER BY collected_on LIMIT ? FOR UPDATE SKIP LOCKED",
                Long.class, aboRh, units);

        if (unitIds.size() < units) {
            throw new InsufficientStockException(aboRh, units, unitIds.size());
        }

        jdbc.update("UPDATE blood_units SET status = 'RESERVED', request_id = ? WHERE id = ANY (?)",
                requestId, unitIds.toArray(Long[]::new));
        jdbc.update("UPDATE hospital_requests SET status = 'ALLOCATED' WHERE id = ?", requestId);
        return unitIds;
    }

    /**
     * Books the courier after the allocation has committed. Retries transient network
     * failures with capped exponential backoff and full jitter; the idempotency key means a
     * retried POST can never book two vans for the same request.
     */
    public String bookCourier(long requestId, String hospitalCode) throws InterruptedException {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Idempotency-Key", "blood-request-" + requestId);
        HttpEntity<Map<String, Object>> body = new HttpEntity<>(
                Map.of("pickup", "RBC-CENTRAL", "dropoff", hospitalCode, "priority", "STAT",
                        "reference", requestId), headers);

        for (int attempt = 0; ; attempt++) {
            try {
                Map<?, ?> res = courierApi.postForObject("/v1/runs", body, Map.class);
                return String.valueOf(res.get("runId"));
            } catch (ResourceAccessException e) {
                if (attempt + 1 >= MAX_ATTEMPTS) {
                    log.error("courier booking failed for request {} after {} attempts", requestId, MAX_ATTEMPTS, e);
                    throw e;
                }
                long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << attempt);
                long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
                log.warn("courier API unreachable (attempt {}), retrying in {} ms", attempt + 1, delay);
                Thread.sleep(delay);
            }
        }
    }
}
