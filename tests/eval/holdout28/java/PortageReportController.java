package org.paddlenorth.portage.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.paddlenorth.portage.model.PortageReport;
import org.paddlenorth.portage.model.ReportForm;
import org.paddlenorth.portage.repo.PortageReportRepository;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Public API used by the route map: paddlers post condition reports for a
 * portage (mud, blowdowns, beaver dams, water level at the put-in).
 *
 * Deployed to Cloud Run with min-instances 2, max-instances 6.
 */
@RestController
@RequestMapping("/api/portages")
public class PortageReportController {

    private static final int MAX_REPORTS_PER_HOUR = 8;
    private static final Duration WINDOW = Duration.ofHours(1);

    // sliding window of report timestamps per submitter
    private final Map<String, Deque<Instant>> recentSubmissions = new ConcurrentHashMap<>();

    private final PortageReportRepository reports;

    public PortageReportController(PortageReportRepository reports) {
        this.reports = reports;
    }

    @PostMapping("/{portageId}/reports")
    public ResponseEntity<?> submit(@PathVariable long portageId,
                                    @Valid @RequestBody ReportForm form,
                                    HttpServletRequest request) {
        String submitter = clientAddress(request);
        if (!tryAcquire(submitter)) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .body(Map.of("error", "Too many reports from this address, try again later"));
        }

        PortageReport saved = reports.save(PortageReport.from(portageId, form, Instant.now()));
        return ResponseEntity.status(HttpStatus.CREATED).body(saved);
    }

    /** Everything paddlers have reported for this carry, newest first. */
    @GetMapping("/{portageId}/reports")
    public List<PortageReport> history(@PathVariable long portageId) {
        return reports.findByPortageIdOrderBySubmittedAtDesc(portageId);
    }

    @GetMapping("/{portageId}/reports/latest")
    public ResponseEntity<PortageReport> latest(@PathVariable long portageId) {
        return reports.findFirstByPortageIdOrderBySubmittedAtDesc(portageId)
                .map(ResponseEntity::ok)
                .orElse(ResponseEntity.noContent().build());
    }

    private boolean tryAcquire(String key) {
        Instant now = Instant.now();
        Deque<Instant> window = recentSubmissions.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst().isBefore(now.minus(WINDOW))) {
                window.pollFirst();
            }
            if (window.size() >= MAX_REPORTS_PER_HOUR) {
                return false;
            }
            window.addLast(now);
            return true;
        }
    }

    @Scheduled(fixedDelay = 600_000)
    void dropIdleWindows() {
        Instant cutoff = Instant.now().minus(WINDOW);
        recentSubmissions.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Instant last = e.getValue().peekLast();
                return last == null || last.isBefore(cutoff);
            }
        });
    }

    private String clientAddress(HttpServletRequest request) {
        // behind the Google front end the real address is in the forwarded header
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.getRemoteAddr();
    }
}
