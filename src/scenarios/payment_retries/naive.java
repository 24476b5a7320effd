package com.acme.checkout.payments;

import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** One interface over the card provider; checkout calls {@link #charge} and nothing else. */
@Service
public class PaymentGateway {
    private static final int MAX_ATTEMPTS = 3;

    private final RestClient providerClient;

    public PaymentGateway(RestClient providerClient) {
        this.providerClient = providerClient;
    }

    public ChargeResult charge(ChargeRequest request) {
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
            }
        }
        throw new PaymentFailedException("charge failed for order " + request.orderId(), last);
    }
}
