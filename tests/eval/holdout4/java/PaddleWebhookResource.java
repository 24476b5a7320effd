package app.seatly.billing.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Paddle Billing notifications. Paddle retries on non-2xx and may deliver the
 * same notification more than once, so every event id is recorded first and
 * duplicates are acknowledged without side effects.
 */
@Path("/webhooks/paddle")
public class PaddleWebhookResource {

    private static final Logger LOG = Logger.getLogger(PaddleWebhookResource.class);

    @Inject EntityManager em;
    @Inject ObjectMapper mapper;
    @Inject PaddleSignatureVerifier verifier;
    @Inject SubscriptionMailer mailer;

    @ConfigProperty(name = "paddle.webhook-secret")
    String secret;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    public Response receive(@HeaderParam("Paddle-Signature") String signature, String rawBody) throws Exception {
        if (!verifier.isValid(rawBody, signature, secret)) {
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }

        JsonNode event = mapper.readTree(rawBody);
        String eventId = event.path("event_id").asText();
        String type = event.path("event_type").asText();

        int inserted = em.createNativeQuery(
                        "INSERT INTO processed_webhook_events (provider, event_id, event_type, received_at) " +
                        "VALUES ('paddle', :id, :type, now()) ON CONFLICT (provider, event_id) DO NOTHING")
                .setParameter("id", eventId)
                .setParameter("type", type)
                .executeUpdate();
        if (inserted == 0) {
            LOG.debugf("duplicate paddle event %s ignored", eventId);
            return Response.ok().build();
        }

        try {
            JsonNode data = event.path("data");
            switch (type) {
                case "subscription.updated" -> em.createNativeQuery(
                                "UPDATE subscriptions SET seats = :seats, status = :status, updated_at = now() " +
                                "WHERE paddle_subscription_id = :sub")
                        .setParameter("seats", data.path("items").path(0).path("quantity").asInt())
                        .setParameter("status", data.path("status").asText())
                        .setParameter("sub", data.path("id").asText())
                        .executeUpdate();
                case "subscription.canceled" -> {
                    em.createNativeQuery("UPDATE subscriptions SET status = 'canceled', updated_at = now() " +
                                    "WHERE paddle_subscription_id = :sub")
                            .setParameter("sub", data.path("id").asText())
                            .executeUpdate();
                    mailer.queueCancellationEmail(data.path("customer_id").asText());
                }
                default -> LOG.debugf("ignoring paddle event type %s", type);
            }
        } catch (RuntimeException e) {
            // rolls back the processed_webhook_events row too, so Paddle's retry gets processed
            LOG.errorf(e, "failed to apply paddle event %s (%s)", eventId, type);
            throw e;
        }
        return Response.ok().build();
    }
}
