package com.dishdash.dispatch.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

import com.dishdash.dispatch.routing.dto.EtaRequest;
import com.dishdash.dispatch.routing.dto.EtaResponse;
import com.dishdash.dispatch.routing.dto.Leg;

/**
 * Client for the routing engine (OSRM wrapper) used to compute courier ETAs.
 * One RestTemplate for the whole app; timeouts live on the client.
 */
@Component
public class RoutingClient {

    private static final Logger log = LoggerFactory.getLogger(RoutingClient.class);

    private static final int BATCH_SIZE = 100;       // engine accepts up to 100 legs per call
    private static final int MAX_ATTEMPTS = 4;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 3_000;

    private final RestTemplate http;

    public RoutingClient(RestTemplateBuilder builder, RoutingProperties props) {
        this.http = builder
                .rootUri(props.baseUrl())
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** ETAs for all legs, one engine call per batch of 100 legs. */
    public List<EtaResponse.Eta> etas(List<Leg> legs) {
        List<EtaResponse.Eta> out = new ArrayList<>(legs.size());
        for (int from = 0; from < legs.size(); from += BATCH_SIZE) {
            List<Leg> batch = legs.subList(from, Math.min(from + BATCH_SIZE, legs.size()));
            EtaResponse resp = postWithRetry(new EtaRequest(batch));
            out.addAll(resp.etas());
        }
        return out;
    }

    private EtaResponse postWithRetry(EtaRequest body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.postForObject("/v2/eta/batch", body, EtaResponse.class);
            } catch (ResourceAccessException | HttpServerErrorException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    log.error("routing engine failed after {} attempts", attempt, e);
                    throw e;
                }
                // exponential backoff with full jitter, capped
                long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * (1L << attempt));
                long sleep = ThreadLocalRandom.current().nextLong(ceiling + 1);
                log.warn("routing engine call failed (attempt {}), retrying in {} ms", attempt, sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
