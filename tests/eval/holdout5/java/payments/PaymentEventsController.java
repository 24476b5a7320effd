package com.staybook.payments.web;

import java.time.Duration;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.net.Webhook;
import io.netty.channel.ChannelOption;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import com.staybook.booking.BookingService;
import com.staybook.payments.StripeProperties;

/**
 * Stripe webhook for hotel bookings.
 * Stripe delivers events at least once (and sometimes out of order), so every event id is
 * recorded in processed_stripe_events inside the same transaction as its side effects.
 */
@RestController
@RequiredArgsConstructor
@Slf4j
public class PaymentEventsController {

    private final StripeProperties stripe;
    private final JdbcTemplate jdbc;
    private final BookingService bookings;

    @PostMapping("/webhooks/stripe")
    @Transactional
    public ResponseEntity<Void> onEvent(@RequestBody String payload,
                                        @RequestHeader("Stripe-Signature") String signature) {
        final Event event;
        try {
            event = Webhook.constructEvent(payload, signature, stripe.webhookSecret());
        } catch (SignatureVerificationException e) {
            log.warn("Rejected Stripe webhook with bad signature: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).build();
        }

        int fresh = jdbc.update("""
                INSERT INTO processed_stripe_events (event_id, type, received_at)
                VALUES (?, ?, now())
                ON CONFLICT (event_id) DO NOTHING
                """, event.getId(), event.getType());
        if (fresh == 0) {
            log.info("Duplicate Stripe event {} ({}), skipping", event.getId(), event.getType());
            return ResponseEntity.ok().build();
        }

        switch (event.getType()) {
            case "payment_intent.succeeded" -> {
                PaymentIntent pi = (PaymentIntent) event.getDataObjectDeserializer().getObject().orElseThrow();
                bookings.confirmPaid(pi.getMetadata().get("booking_id"), pi.getId(), pi.getAmountReceived());
            }
            case "payment_intent.payment_failed" -> {
                PaymentIntent pi = (PaymentIntent) event.getDataObjectDeserializer().getObject().orElseThrow();
                bookings.markPaymentFailed(pi.getMetadata().get("booking_id"), pi.getLastPaymentError().getCode());
            }
            default -> log.debug("Unhandled Stripe event type {}", event.getType());
        }
        // any exception above rolls back the event row too, so Stripe's retry gets processed again
        return ResponseEntity.ok().build();
    }
}

/** Client for the channel manager (Booking.com / Expedia sync) used by BookingService. */
@Configuration
class ChannelManagerClientConfig {

    @Bean
    WebClient channelManagerClient(WebClient.Builder builder, @Value("${channel-manager.base-url}") String baseUrl) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .responseTimeout(Duration.ofSeconds(5));
        return builder
                .baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }
}
