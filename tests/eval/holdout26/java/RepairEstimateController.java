package com.shutterworks.repairs.estimates;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

import com.shutterworks.repairs.security.WorkshopUser;

/**
 * Building a repair estimate for a vintage camera means pricing every part on the strip-down
 * sheet with the parts supplier and adding bench time; for a Leica or Hasselblad body that is
 * 40+ parts and can take a minute. The request returns 202 with a job to poll.
 */
@RestController
@RequestMapping("/api/repair-tickets")
public class RepairEstimateController {

    private final EstimateJobStore jobs;
    private final EstimateWorker worker;

    public RepairEstimateController(EstimateJobStore jobs, EstimateWorker worker) {
        this.jobs = jobs;
        this.worker = worker;
    }

    @PostMapping("/{ticketId}/estimate-jobs")
    public ResponseEntity<EstimateJob> requestEstimate(@AuthenticationPrincipal WorkshopUser user,
                                                       @PathVariable long ticketId) {
        // createOrGetRunning() checks the ticket belongs to the user's workshop and reuses a running job for it
        EstimateJob job = jobs.createOrGetRunning(user.workshopId(), ticketId);
        if (job.isNew()) {
            worker.buildEstimate(user.workshopId(), job.id());
        }
        return ResponseEntity.accepted()
                .location(URI.create("/api/repair-tickets/estimate-jobs/" + job.id()))
                .body(job);
    }

    @GetMapping("/estimate-jobs/{jobId}")
    public EstimateJob jobStatus(@AuthenticationPrincipal WorkshopUser user, @PathVariable long jobId) {
        return jobs.find(user.workshopId(), jobId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}

@Component
class EstimateWorker {

    private static final Logger log = LoggerFactory.getLogger(EstimateWorker.class);

    private final EstimateJobStore jobs;
    private final StripDownSheets sheets;
    private final WebClient partsSupplier;  // built in PartsSupplierConfig: pooled, 3 s connect, 20 s response timeout

    EstimateWorker(EstimateJobStore jobs, StripDownSheets sheets, WebClient partsSupplier) {
        this.jobs = jobs;
        this.sheets = sheets;
        this.partsSupplier = partsSupplier;
    }

    // "estimateExecutor" is a ThreadPoolTaskExecutor with 4 threads and a queue of 200
    @Async("estimateExecutor")
    public void buildEstimate(long workshopId, long jobId) {
        try {
            jobs.markRunning(workshopId, jobId);
            List<String> partNumbers = sheets.partNumbersForJob(workshopId, jobId);

            // One batched price request for all parts on the sheet.
            Map<String, Long> pricesCents = partsSupplier.post()
                    .uri("/v1/prices:batchGet")
                    .bodyValue(Map.of("partNumbers", partNumbers))
                    .retrieve()
                    .bodyToMono(PriceBatch.class)
                    .timeout(Duration.ofSeconds(30))
                    .map(PriceBatch::pricesCents)
                    .block();

            jobs.complete(workshopId, jobId, Estimate.from(partNumbers, pricesCents, sheets.benchMinutes(workshopId, jobId)));
        } catch (Exception e) {
            log.error("estimate job {} for workshop {} failed", jobId, workshopId, e);
            jobs.fail(workshopId, jobId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    record PriceBatch(Map<String, Long> pricesCents) {}
}
