package com.repcount.members.api;

import com.repcount.members.auth.CurrentOrg;
import com.repcount.members.dto.*;
import com.repcount.members.reports.AttendanceReportRenderer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

import java.time.LocalDate;
import java.util.List;

/**
 * Member management for gym franchise owners. Every franchise is an org; all member data is
 * scoped by org_id. Runs on 3 pods behind Kong (upstream read timeout 30s).
 */
@RestController
@RequestMapping("/api/members")
public class MembershipController {

    private final JdbcTemplate jdbc;
    private final AttendanceReportRenderer reportRenderer;

    public MembershipController(JdbcTemplate jdbc, AttendanceReportRenderer reportRenderer) {
        this.jdbc = jdbc;
        this.reportRenderer = reportRenderer;
    }

    @GetMapping
    public List<MemberRow> list(@CurrentOrg long orgId,
                                @RequestParam(defaultValue = "0") int offset,
                                @RequestParam(defaultValue = "50") int limit) {
        return jdbc.query("""
                SELECT id, full_name, email, plan_code, status, joined_on
                  FROM memberships
                 WHERE org_id = ?
                 ORDER BY full_name
                 LIMIT ? OFFSET ?
                """, MemberRow.MAPPER, orgId, Math.min(limit, 200), offset);
    }

    @GetMapping("/{id}")
    public MemberRow get(@CurrentOrg long orgId, @PathVariable long id) {
        return jdbc.queryForObject(
                "SELECT id, full_name, email, plan_code, status, joined_on FROM memberships WHERE id = ? AND org_id = ?",
                MemberRow.MAPPER, id, orgId);
    }

    @PostMapping("/{id}/freeze")
    public ResponseEntity<Void> freeze(@CurrentOrg long orgId, @PathVariable long id, @RequestBody FreezeRequest req) {
        int n = jdbc.update("""
                UPDATE memberships SET status = 'FROZEN', frozen_until = ?
                 WHERE id = ? AND org_id = ? AND status = 'ACTIVE'
                """, req.until(), id, orgId);
        return n == 1 ? ResponseEntity.noContent().build() : ResponseEntity.status(409).build();
    }

    @PostMapping("/{id}/cancel")
    public ResponseEntity<Void> cancel(@CurrentOrg long orgId, @PathVariable long id) {
        jdbc.update("UPDATE memberships SET status = 'CANCELLED', cancelled_at = now() WHERE id = ?", id);
        return ResponseEntity.noContent().build();
    }

    /** Owner dashboard landing page; polled by the front desk tablet every 60s. */
    @GetMapping("/dashboard")
    public Dashboard dashboard(@CurrentOrg long orgId) {
        List<DailyVisits> visits = jdbc.query("""
                SELECT date_trunc('day', c.checked_in_at) AS day,
                       count(*)                    AS visits,
                       count(DISTINCT c.member_id) AS unique_members,
                       sum(p.amount_cents) FILTER (WHERE p.kind = 'DROP_IN') AS drop_in_revenue
                  FROM check_ins c
                  LEFT JOIN payments p ON p.check_in_id = c.id
                 WHERE c.org_id = ? AND c.checked_in_at > now() - interval '365 days'
                 GROUP BY 1
                 ORDER BY 1
                """, DailyVisits.MAPPER, orgId);
        return new Dashboard(visits);
    }

    /** Year-end attendance report (PDF, one page per member) for the franchise owner. */
    @GetMapping(value = "/reports/attendance.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    public ResponseEntity<byte[]> attendanceReport(@CurrentOrg long orgId, @RequestParam int year) {
        byte[] pdf = buildAttendancePdf(orgId, year);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=attendance-" + year + ".pdf")
                .body(pdf);
    }

    private byte[] buildAttendancePdf(long orgId, int year) {
        List<CheckInRow> rows = jdbc.query("""
                SELECT m.full_name, c.checked_in_at, c.location_name
                  FROM check_ins c JOIN memberships m ON m.id = c.member_id
                 WHERE c.org_id = ? AND c.checked_in_at >= ? AND c.checked_in_at < ?
                 ORDER BY m.full_name, c.checked_in_at
                """, CheckInRow.MAPPER, orgId, LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1));
        return reportRenderer.renderPerMemberPages(rows);
    }
}
