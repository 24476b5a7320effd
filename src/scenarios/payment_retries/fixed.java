package com.acme.checkout.payments;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** One interface over the card provider; checkout calls {@link #charge} and nothing else. */
@Service
public class PaymentGateway {
    private static final int MAX_ATTEMPTS = 3;
    private static final long BASE_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 5_000;

    private final RestClient providerClient;

    public PaymentGateway(RestClient providerClient) {
        this.providerClient = providerClient;
    }

    public ChargeResult charge(ChargeRequest request) throws InterruptedException {
        RestClientException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return providerClient.post()
                        .uri("/v1/charges")
                        .header("Idempotency-Key", request.orderId())
                        .body(request)
                        .retrieve()
                        .body(ChargeResult.class);
            } catch (RestClientException e) {
                last = e;
                if (attempt == MAX_ATTEMPTS) {
                    break;
                }
                // Exponential backoff with full jitter: retries spread out instead of arriving together.
                long cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << attempt);
                Thread.sleep(ThreadLocalRandom.current().nextLong(cap));
            }
        }
        throw new PaymentFailedException("charge failed for order " + request.orderId(), last);
    }
}
