package com.opsdesk.admin.audit;

import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.net.URI;
import java.security.Principal;
import java.util.UUID;

/**
 * Internal admin tool: browse and export an org's audit log.
 * admin-api runs 2 replicas; export jobs live in the export_jobs table so any replica can report status.
 */
@RestController
@RequestMapping("/admin/orgs/{orgId}/audit")
@PreAuthorize("hasRole('SUPPORT_ADMIN')")
@RequiredArgsConstructor
public class AuditExportController {

    private final AuditEventRepository events;
    private final ExportJobRepository jobs;
    private final AuditExportWorker worker;
    private final AdminPreferencesService preferences;

    @GetMapping("/events")
    public Page<AuditEventDto> list(@PathVariable UUID orgId,
                                    @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "50") int size) {
        Pageable p = PageRequest.of(page, Math.min(size, 200), Sort.by(Sort.Direction.DESC, "occurredAt"));
        return events.findByOrgId(orgId, p).map(AuditEventDto::from);
    }

    @PostMapping("/exports")
    public ResponseEntity<ExportJobDto> startExport(@PathVariable UUID orgId,
                                                    @RequestBody ExportRequest req,
                                                    Principal principal) {
        ExportJob job = jobs.save(ExportJob.queued(orgId, principal.getName(), req.from(), req.to()));
        worker.run(job.getId());
        return ResponseEntity
                .accepted()
                .location(URI.create("/admin/orgs/" + orgId + "/audit/exports/" + job.getId()))
                .body(ExportJobDto.from(job));
    }

    @GetMapping("/exports/{jobId}")
    public ExportJobDto exportStatus(@PathVariable UUID orgId, @PathVariable UUID jobId) {
        return jobs.findByIdAndOrgId(jobId, orgId)
                .map(ExportJobDto::from)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    /** Column layout, saved filters etc. of the signed-in admin. */
    @GetMapping("/preferences")
    public AdminPreferences myPreferences(Principal principal) {
        return preferences.forUser(principal.getName());
    }
}

@Service
@RequiredArgsConstructor
class AdminPreferencesService {

    private final AdminPreferencesRepository repo;

    @Cacheable(cacheNames = "adminPrefs", key = "#username")
    public AdminPreferences forUser(String username) {
        return repo.findByUsername(username).orElseGet(() -> AdminPreferences.defaults(username));
    }
}

@Slf4j
@Component
@RequiredArgsConstructor
class AuditExportWorker {

    private static final int CHUNK = 1_000;

    private final ExportJobRepository jobs;
    private final AuditEventRepository events;
    private final ExportStorage storage;

    @Async("exportExecutor")
    public void run(UUID jobId) {
        ExportJob job = jobs.findById(jobId).orElseThrow();
        job.markRunning();
        jobs.save(job);
        try (ExportStorage.CsvUpload upload = storage.openCsv(job)) {
            Page<AuditEvent> page;
            int n = 0;
            do {
                page = events.findByOrgIdAndOccurredAtBetween(job.getOrgId(), job.getFrom(), job.getTo(),
                        PageRequest.of(n++, CHUNK, Sort.by("occurredAt", "id")));
                page.forEach(upload::writeRow);
            } while (page.hasNext());
            job.markDone(upload.commit());
        } catch (Exception e) {
            log.error("audit export {} failed", jobId, e);
            job.markFailed(e.getMessage());
        }
        jobs.save(job);
    }
}
