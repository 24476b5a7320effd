package com.inkwell.signing;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

import java.time.Duration;

@Configuration
class SigningClientConfig {

    /** One shared client for the e-signature provider; timeouts live on the connector. */
    @Bean
    WebClient signingWebClient(@Value("${signing.base-url}") String baseUrl,
                               @Value("${signing.api-key}") String apiKey) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .responseTimeout(Duration.ofSeconds(10));
        return WebClient.builder()
                .baseUrl(baseUrl)
                .defaultHeader("Authorization", "Bearer " + apiKey)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }
}

@Service
class EnvelopeService {

    private static final Logger log = LoggerFactory.getLogger(EnvelopeService.class);

    private final WebClient signingWebClient;
    private final JdbcTemplate jdbc;

    EnvelopeService(WebClient signingWebClient, JdbcTemplate jdbc) {
        this.signingWebClient = signingWebClient;
        this.jdbc = jdbc;
    }

    Mono<EnvelopeSummary> send(long documentId, SendEnvelopeRequest req) {
        return signingWebClient.post()
                .uri("/v2/envelopes")
                .bodyValue(req)
                .retrieve()
                .bodyToMono(EnvelopeSummary.class)
                .retryWhen(Retry.backoff(4, Duration.ofMillis(250))
                        .maxBackoff(Duration.ofSeconds(5))
                        .jitter(0.5)
                        .filter(EnvelopeService::isTransient))
                .doOnError(e -> log.error("Sending envelope for document {} failed", documentId, e));
    }

    /** Applies a provider event exactly once: the event id is recorded in the same transaction. */
    @Transactional
    boolean applyOnce(SigningEvent ev) {
        int fresh = jdbc.update("""
                INSERT INTO processed_signing_events (event_id, envelope_id, received_at)
                VALUES (?, ?, now())
                ON CONFLICT (event_id) DO NOTHING
                """, ev.id(), ev.envelopeId());
        if (fresh == 0) {
            return false;
        }
        switch (ev.type()) {
            case "envelope.completed" -> jdbc.update(
                    "UPDATE documents SET status = 'SIGNED', signed_at = ? WHERE envelope_id = ?",
                    ev.occurredAt(), ev.envelopeId());
            case "envelope.declined" -> jdbc.update(
                    "UPDATE documents SET status = 'DECLINED' WHERE envelope_id = ?", ev.envelopeId());
            default -> log.debug("Ignoring signing event type {}", ev.type());
        }
        return true;
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof WebClientResponseException w
                ? w.getStatusCode().is5xxServerError() || w.getStatusCode().value() == 429
                : true;
    }
}

@RestController
@RequestMapping("/webhooks/signing")
class SigningWebhookController {

    private final EnvelopeService envelopes;
    private final WebhookVerifier verifier;

    SigningWebhookController(EnvelopeService envelopes, WebhookVerifier verifier) {
        this.envelopes = envelopes;
        this.verifier = verifier;
    }

    @PostMapping
    ResponseEntity<Void> receive(@RequestHeader("X-Inkwell-Signature") String signature,
                                 @RequestBody String body) {
        SigningEvent ev = verifier.verifyAndParse(body, signature); // throws -> 401 via @ControllerAdvice
        boolean applied = envelopes.applyOnce(ev);
        return applied ? ResponseEntity.ok().build() : ResponseEntity.noContent().build();
    }
}
