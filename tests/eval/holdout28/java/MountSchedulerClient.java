package edu.hillside.observatory.scheduling;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Pushes approved telescope time requests to the mount controller's queue API
 * (the small Flask service running on the dome PC) and reads back the slot it
 * was given. Approval happens in the TAC review screen; this is called from
 * TimeRequestApprovalListener once a request is approved.
 */
@Component
public class MountSchedulerClient {

    private static final Logger log = LoggerFactory.getLogger(MountSchedulerClient.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final long RETRY_PAUSE_MS = 300;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String apiToken;

    public MountSchedulerClient(ObjectMapper mapper,
                                @Value("${mount.scheduler.url}") String baseUrl,
                                @Value("${mount.scheduler.token}") String apiToken) {
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.apiToken = apiToken;
    }

    public QueueReceipt enqueue(ApprovedRequest req) throws IOException, InterruptedException {
        String body = mapper.writeValueAsString(new QueueEntry(
                req.id(), req.targetRa(), req.targetDec(), req.exposureSeconds(),
                req.filter(), req.earliest(), req.latest()));

        HttpRequest httpReq = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/queue"))
                .header("Authorization", "Bearer " + apiToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        IOException lastError = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> resp = http.send(httpReq, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 201 || resp.statusCode() == 200) {
                    return mapper.readValue(resp.body(), QueueReceipt.class);
                }
                if (resp.statusCode() < 500) {
                    throw new SchedulerRejectedException(req.id(), resp.statusCode(), resp.body());
                }
                log.warn("mount scheduler returned {} for request {} (attempt {})",
                        resp.statusCode(), req.id(), attempt);
            } catch (IOException e) {
                lastError = e;
                log.warn("mount scheduler unreachable for request {} (attempt {}): {}",
                        req.id(), attempt, e.getMessage());
            }
            Thread.sleep(RETRY_PAUSE_MS);
        }
        throw new IOException("mount scheduler did not accept request " + req.id(), lastError);
    }

    public SlotStatus status(String queueId) throws IOException, InterruptedException {
        HttpRequest httpReq = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/queue/" + queueId))
                .header("Authorization", "Bearer " + apiToken)
                .GET()
                .build();
        HttpResponse<String> resp = http.send(httpReq, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("status " + resp.statusCode() + " for queue entry " + queueId);
        }
        return mapper.readValue(resp.body(), SlotStatus.class);
    }

    record QueueEntry(long requestId, double ra, double dec, int exposureSeconds,
                      String filter, String earliest, String latest) {}
}
