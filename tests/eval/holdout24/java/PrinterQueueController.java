package io.makerhub.printing.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.multipart.MultipartFile;

import io.makerhub.printing.slicing.SliceResult;
import io.makerhub.printing.slicing.Slicer;
import io.makerhub.security.MemberPrincipal;

/**
 * 3D-printer queue for member makerspaces (one tenant per space).
 * Runs on the shared MakerHub cluster: 3 replicas behind the ingress.
 */
@RestController
@RequestMapping("/api/spaces/{spaceId}/print-jobs")
public class PrinterQueueController {

    private static final int UPLOADS_PER_HOUR = 5;

    // member id -> timestamps of their recent uploads
    private final Map<Long, Deque<Instant>> recentUploads = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final Slicer slicer;

    public PrinterQueueController(JdbcTemplate jdbc, Slicer slicer) {
        this.jdbc = jdbc;
        this.slicer = slicer;
    }

    @PostMapping(consumes = "multipart/form-data")
    public ResponseEntity<?> submit(@PathVariable long spaceId,
                                    @AuthenticationPrincipal MemberPrincipal member,
                                    @RequestParam("model") MultipartFile model,
                                    @RequestParam(defaultValue = "pla-0.2mm") String profile) throws IOException {
        member.requireSpace(spaceId);

        Deque<Instant> uploads = recentUploads.computeIfAbsent(member.id(), id -> new ArrayDeque<>());
        synchronized (uploads) {
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            while (!uploads.isEmpty() && uploads.peekFirst().isBefore(hourAgo)) {
                uploads.pollFirst();
            }
            if (uploads.size() >= UPLOADS_PER_HOUR) {
                return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(Map.of("error", "upload limit reached, try again later"));
            }
            uploads.addLast(Instant.now());
        }

        Path stl = Files.createTempFile("job-", ".stl");
        model.transferTo(stl);

        // Slice now so the member sees the print time and filament estimate straight away.
        // (PrusaSlicer CLI; a full build plate of detailed parts takes 5-10 minutes.)
        SliceResult sliced = slicer.slice(stl, profile);

        Long jobId = jdbc.queryForObject(
            "INSERT INTO print_jobs (space_id, member_id, file_name, gcode_path, est_minutes, filament_g, status) " +
            "VALUES (?, ?, ?, ?, ?, ?, 'QUEUED') RETURNING id",
            Long.class, spaceId, member.id(), model.getOriginalFilename(),
            sliced.gcodePath().toString(), sliced.estimatedMinutes(), sliced.filamentGrams());

        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of(
            "id", jobId,
            "estimatedMinutes", sliced.estimatedMinutes(),
            "filamentGrams", sliced.filamentGrams()));
    }

    @GetMapping
    public List<Map<String, Object>> queue(@PathVariable long spaceId,
                                           @AuthenticationPrincipal MemberPrincipal member) {
        member.requireSpace(spaceId);
        return jdbc.queryForList(
            "SELECT id, member_id, file_name, est_minutes, status, queued_at FROM print_jobs " +
            "WHERE space_id = ? AND status IN ('QUEUED', 'PRINTING') ORDER BY queued_at LIMIT 50",
            spaceId);
    }

    @GetMapping("/{jobId}")
    public Map<String, Object> job(@PathVariable long spaceId,
                                   @PathVariable long jobId,
                                   @AuthenticationPrincipal MemberPrincipal member) {
        member.requireSpace(spaceId);
        return jdbc.queryForMap("SELECT id, member_id, file_name, gcode_path, est_minutes, filament_g, status, queued_at FROM print_jobs WHERE id = ?",
            jobId);
    }
}
