package com.fleetdesk.admin.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.*;

import com.fleetdesk.common.OrgContext;
import com.fleetdesk.reports.PdfRenderer;

// Deployed on 4 pods (helm values: replicaCount: 4), sticky sessions are off.
@RestController
@RequestMapping("/api/admin/reports")
@PreAuthorize("hasRole('ORG_ADMIN')")
public class AdminReportsController {

    private static final Logger log = LoggerFactory.getLogger(AdminReportsController.class);

    private final JdbcTemplate jdbc;
    private final PdfRenderer pdfRenderer;
    private final TripExportService exportService;

    /** exportId -> status, polled by the admin UI every 2 s */
    private final Map<String, ExportStatus> exports = new ConcurrentHashMap<>();

    public AdminReportsController(JdbcTemplate jdbc, PdfRenderer pdfRenderer, TripExportService exportService) {
        this.jdbc = jdbc;
        this.pdfRenderer = pdfRenderer;
        this.exportService = exportService;
    }

    public record ExportStatus(String state, String downloadUrl, Instant updatedAt) {}

    /** Numbers for the dashboard header cards, loaded on every admin page view. */
    @GetMapping("/summary")
    public List<Map<String, Object>> summary() {
        return jdbc.queryForList("""
                SELECT v.region,
                       COUNT(DISTINCT v.id)            AS vehicles,
                       COUNT(t.id)                     AS trips,
                       COALESCE(SUM(t.distance_km), 0) AS km,
                       AVG(t.fuel_litres / NULLIF(t.distance_km, 0)) * 100 AS l_per_100km
                  FROM vehicles v
                  LEFT JOIN trips t ON t.vehicle_id = v.id
                 WHERE v.org_id = ?
                 GROUP BY v.region
                 ORDER BY trips DESC
                """, OrgContext.currentOrgId());
    }

    /** Compliance wants the whole year of driver logs as a single PDF. */
    @GetMapping(value = "/driver-logs.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    public ResponseEntity<byte[]> driverLogsPdf(@RequestParam int year) {
        UUID orgId = OrgContext.currentOrgId();
        // one page per trip, a mid-size fleet is ~15k pages
        byte[] pdf = pdfRenderer.render("driver-logs", Map.of("orgId", orgId, "year", year));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=driver-logs-" + year + ".pdf")
                .body(pdf);
    }

    @PostMapping("/trip-exports")
    public ResponseEntity<Map<String, String>> startTripExport(@RequestParam LocalDate from,
                                                               @RequestParam LocalDate to) {
        String exportId = UUID.randomUUID().toString();
        exports.put(exportId, new ExportStatus("RUNNING", null, Instant.now()));
        exportService.exportTrips(OrgContext.currentOrgId(), from, to)
                .whenComplete((url, err) -> {
                    if (err != null) {
                        log.error("Trip export {} failed", exportId, err);
                        exports.put(exportId, new ExportStatus("FAILED", null, Instant.now()));
                    } else {
                        exports.put(exportId, new ExportStatus("DONE", url, Instant.now()));
                    }
                });
        return ResponseEntity.accepted().body(Map.of("exportId", exportId));
    }

    @GetMapping("/trip-exports/{exportId}")
    public ResponseEntity<ExportStatus> exportStatus(@PathVariable String exportId) {
        ExportStatus status = exports.get(exportId);
        return status == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(status);
    }
}
