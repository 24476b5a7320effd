package org.wildwatch.traps.upload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;

/**
 * Volunteers upload an SD-card batch from a camera trap. Species tagging
 * runs through the classifier service and can take several minutes for a
 * full card, so the request only registers the batch and returns 202; the
 * app polls GET /batches/{id} for progress.
 */
@RestController
@RequestMapping("/projects/{projectId}/batches")
class CameraTrapUploadController {

    private final JdbcTemplate jdbc;
    private final BatchTagger tagger;

    CameraTrapUploadController(JdbcTemplate jdbc, BatchTagger tagger) {
        this.jdbc = jdbc;
        this.tagger = tagger;
    }

    public record NewBatch(String trapCode, String storagePrefix, int imageCount) {}

    @PostMapping
    public ResponseEntity<Map<String, Object>> create(@PathVariable long projectId, @RequestBody NewBatch b) {
        UUID batchId = UUID.randomUUID();
        jdbc.update("INSERT INTO trap_batches (id, project_id, trap_code, storage_prefix, image_count, status) "
                        + "VALUES (?, ?, ?, ?, ?, 'QUEUED')",
                batchId, projectId, b.trapCode(), b.storagePrefix(), b.imageCount());
        tagger.tagBatch(projectId, batchId, b.storagePrefix());
        return ResponseEntity.accepted()
                .location(URI.create("/projects/" + projectId + "/batches/" + batchId))
                .body(Map.of("batchId", batchId, "status", "QUEUED"));
    }

    @GetMapping("/{batchId}")
    public Map<String, Object> status(@PathVariable long projectId, @PathVariable UUID batchId) {
        return jdbc.queryForMap(
                "SELECT id, trap_code, status, tagged_count, image_count FROM trap_batches "
                        + "WHERE id = ? AND project_id = ?", batchId, projectId);
    }
}

@Service
class BatchTagger {

    private static final Logger log = LoggerFactory.getLogger(BatchTagger.class);

    private final JdbcTemplate jdbc;
    // One shared client for the whole app; it pools connections internally.
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    BatchTagger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Async("taggingExecutor")
    public void tagBatch(long projectId, UUID batchId, String storagePrefix) {
        jdbc.update("UPDATE trap_batches SET status = 'RUNNING' WHERE id = ? AND project_id = ?",
                batchId, projectId);
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://classifier.wildwatch.internal/v1/jobs"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"batch\":\"" + batchId + "\",\"prefix\":\"" + storagePrefix + "\"}"))
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            String status = resp.statusCode() / 100 == 2 ? "SUBMITTED" : "FAILED";
            jdbc.update("UPDATE trap_batches SET status = ? WHERE id = ? AND project_id = ?",
                    status, batchId, projectId);
        } catch (Exception e) {
            log.error("classifier submission failed for batch {}", batchId, e);
            jdbc.update("UPDATE trap_batches SET status = 'FAILED' WHERE id = ? AND project_id = ?",
                    batchId, projectId);
            throw new IllegalStateException("tagging failed for batch " + batchId, e);
        }
    }
}
