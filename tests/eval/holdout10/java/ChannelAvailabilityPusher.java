package com.innsync.channels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.innsync.channels.model.AriUpdate;
import com.innsync.channels.model.ChannelConnection;
import com.innsync.channels.repo.PendingAriRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Pushes availability/rates/inventory (ARI) deltas from the PMS to the OTAs
 * (Booking.com, Expedia, Airbnb) every 30 seconds.
 */
@Component
public class ChannelAvailabilityPusher {

    private static final Logger log = LoggerFactory.getLogger(ChannelAvailabilityPusher.class);

    private static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private final PendingAriRepository pending;
    private final ObjectMapper json;

    public ChannelAvailabilityPusher(PendingAriRepository pending, ObjectMapper json) {
        this.pending = pending;
        this.json = json;
    }

    @Scheduled(fixedDelay = 30_000)
    public void pushPending() {
        // one query: up to 200 pending deltas per active connection
        Map<ChannelConnection, List<AriUpdate>> due = pending.claimDueBatches(200);
        for (Map.Entry<ChannelConnection, List<AriUpdate>> e : due.entrySet()) {
            ChannelConnection conn = e.getKey();
            List<AriUpdate> batch = e.getValue();
            try {
                send(conn, batch);
                pending.markSent(batch);
            } catch (IOException | InterruptedException ex) {
                pending.release(batch);
                log.error("ARI push to {} for hotel {} failed", conn.getChannel(), conn.getHotelId(), ex);
            }
        }
    }

    private void send(ChannelConnection conn, List<AriUpdate> batch) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(conn.getEndpointUrl() + "/ari"))
                .header("Authorization", "Bearer " + conn.getApiToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(batch)))
                .build();

        // OTAs throttle hard during peak season; just keep trying until they accept it
        while (true) {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            int code = resp.statusCode();
            if (code < 300) {
                return;
            }
            if (code == 429 || code >= 500) {
                log.warn("{} returned {}, retrying", conn.getChannel(), code);
                Thread.sleep(2000);
                continue;
            }
            throw new IOException(conn.getChannel() + " rejected ARI batch: " + code + " " + resp.body());
        }
    }
}
