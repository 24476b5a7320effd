package io.metricly.reports.web;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.*;

import io.metricly.reports.pdf.PdfDocument;
import io.metricly.reports.pdf.ReportPdfRenderer;
import io.metricly.security.WorkspaceAccess;

@RestController
@RequestMapping("/api/workspaces/{workspaceId}/reports")
@RequiredArgsConstructor
public class WorkspaceReportsController {

    private final NamedParameterJdbcTemplate jdbc;
    private final WorkspaceAccess access;
    private final ReportPdfRenderer pdfRenderer;

    // Landing page of the dashboard, called on every page load / tab switch
    @GetMapping("/overview")
    public OverviewDto overview(@PathVariable UUID workspaceId, Authentication auth) {
        access.requireMember(workspaceId, auth);
        List<DailyStat> daily = jdbc.query("""
                SELECT date_trunc('day', e.occurred_at)  AS day,
                       COUNT(*)                          AS events,
                       COUNT(DISTINCT e.user_id)         AS active_users,
                       COALESCE(SUM(e.revenue_cents), 0) AS revenue_cents
                  FROM events e
                  JOIN sessions s ON s.id = e.session_id
                 WHERE e.workspace_id = :ws
                 GROUP BY 1
                 ORDER BY 1
                """, Map.of("ws", workspaceId), DailyStat.MAPPER);
        return new OverviewDto(daily);
    }

    @GetMapping
    public List<SavedReportDto> list(@PathVariable UUID workspaceId, Authentication auth) {
        access.requireMember(workspaceId, auth);
        return jdbc.query("""
                SELECT id, workspace_id, name, definition, created_by, created_at
                  FROM saved_reports
                 WHERE workspace_id = :ws
                 ORDER BY created_at DESC
                 LIMIT 50
                """, Map.of("ws", workspaceId), SavedReportDto.MAPPER);
    }

    @GetMapping("/{reportId}")
    public SavedReportDto get(@PathVariable UUID workspaceId, @PathVariable UUID reportId, Authentication auth) {
        access.requireMember(workspaceId, auth);
        return jdbc.queryForObject(
                "SELECT id, workspace_id, name, definition, created_by, created_at FROM saved_reports WHERE id = :id",
                Map.of("id", reportId), SavedReportDto.MAPPER);
    }

    @DeleteMapping("/{reportId}")
    public ResponseEntity<Void> delete(@PathVariable UUID workspaceId, @PathVariable UUID reportId, Authentication auth) {
        access.requireAdmin(workspaceId, auth);
        int n = jdbc.update("DELETE FROM saved_reports WHERE id = :id AND workspace_id = :ws",
                Map.of("id", reportId, "ws", workspaceId));
        return n == 1 ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    /**
     * Compliance export: one page per day for the requested range (max 2 years),
     * each page has the event chart + top users table.
     */
    @GetMapping(value = "/audit.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    public ResponseEntity<byte[]> auditPdf(@PathVariable UUID workspaceId,
                                           @RequestParam LocalDate from,
                                           @RequestParam LocalDate to,
                                           Authentication auth) {
        access.requireAdmin(workspaceId, auth);
        if (to.isAfter(from.plusYears(2))) {
            return ResponseEntity.badRequest().build();
        }
        PdfDocument doc = pdfRenderer.newDocument("Audit report " + from + " - " + to);
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            doc.addPage(pdfRenderer.renderDailyPage(workspaceId, day)); // chart rendered via headless chromium
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + from + ".pdf\"")
                .body(doc.toBytes());
    }
}
