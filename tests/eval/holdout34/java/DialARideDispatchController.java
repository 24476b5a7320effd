package gov.northvale.dialaride.dispatch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.*;

/**
 * Builds the next day's minibus runs for the rural dial-a-ride service.
 * The route optimiser is a third-party SaaS; a full day's plan takes a minute or two,
 * so the office UI starts a job and polls for it.
 *
 * dispatch-api is deployed as 3 replicas behind the county's load balancer.
 */
@RestController
@RequestMapping("/api/dispatch")
public class DialARideDispatchController {

    private static final Logger log = LoggerFactory.getLogger(DialARideDispatchController.class);

    private final TripRepository trips;
    private final Executor dispatchExecutor;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // jobId -> PENDING / DONE / FAILED
    private final Map<String, String> planJobs = new ConcurrentHashMap<>();

    public DialARideDispatchController(TripRepository trips,
                                       @Qualifier("dispatchExecutor") Executor dispatchExecutor) {
        this.trips = trips;
        this.dispatchExecutor = dispatchExecutor;
    }

    @PostMapping("/plans")
    public ResponseEntity<Map<String, String>> startPlan(@RequestParam LocalDate serviceDate) {
        String jobId = UUID.randomUUID().toString();
        planJobs.put(jobId, "PENDING");
        dispatchExecutor.execute(() -> buildPlan(jobId, serviceDate));
        return ResponseEntity.accepted().body(Map.of("jobId", jobId));
    }

    @GetMapping("/plans/{jobId}")
    public ResponseEntity<Map<String, String>> planStatus(@PathVariable String jobId) {
        String status = planJobs.get(jobId);
        if (status == null) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(Map.of("jobId", jobId, "status", status));
    }

    void buildPlan(String jobId, LocalDate serviceDate) {
        try {
            // One batched request with every booked pickup/drop-off for the day.
            List<TripRepository.TripStop> stops = trips.stopsForServiceDate(serviceDate);
            String body = json.writeValueAsString(Map.of("date", serviceDate.toString(),
                    "vehicles", 4, "stops", stops));

            HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.routewise.example/v2/optimise"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + System.getenv("ROUTEWISE_TOKEN"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();

            HttpResponse<String> response = null;
            for (int attempt = 1; attempt <= 5; attempt++) {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    break;
                }
                log.warn("route optimiser returned {} (attempt {})", response.statusCode(), attempt);
                Thread.sleep(1000);
            }

            if (response == null || response.statusCode() != 200) {
                throw new IllegalStateException("route optimiser failed: "
                        + (response == null ? "no response" : response.statusCode()));
            }
            trips.savePlan(serviceDate, response.body());
            planJobs.put(jobId, "DONE");
        } catch (Exception e) {
            log.error("plan {} for {} failed", jobId, serviceDate, e);
            planJobs.put(jobId, "FAILED");
        }
    }
}
