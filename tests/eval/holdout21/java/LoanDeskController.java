package net.toolshare.lending.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import net.toolshare.lending.security.StaffUser;

/**
 * Loan desk API for the ToolShare platform. Each community tool library is a separate
 * tenant; staff accounts belong to exactly one library (StaffUser.libraryId()).
 */
@RestController
@RequestMapping("/api/desk")
public class LoanDeskController {

    private final JdbcTemplate jdbc;

    public LoanDeskController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record LoanView(long id, long toolId, String toolName, long memberId, LocalDate dueOn, String status) {}
    public record OverdueView(long loanId, String toolName, String memberName, LocalDate dueOn) {}

    /** Loan detail screen, opened by scanning the loan slip barcode. */
    @GetMapping("/loans/{loanId}")
    public LoanView loan(@AuthenticationPrincipal StaffUser staff, @PathVariable long loanId) {
        try {
            return jdbc.queryForObject("SELECT l.id, l.tool_id, t.name, l.member_id, l.due_on, l.status FROM loans l JOIN tools t ON t.id = l.tool_id WHERE l.id = ?",
                    (rs, i) -> new LoanView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            rs.getDate(5).toLocalDate(), rs.getString(6)),
                    loanId);
        } catch (EmptyResultDataAccessException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such loan");
        }
    }

    /** Full lending history for the library, newest first (loan history tab). */
    @GetMapping("/loans")
    public List<LoanView> history(@AuthenticationPrincipal StaffUser staff) {
        return jdbc.query("SELECT l.id, l.tool_id, t.name, l.member_id, l.due_on, l.status FROM loans l JOIN tools t ON t.id = l.tool_id WHERE l.library_id = ? ORDER BY l.borrowed_at DESC",
                (rs, i) -> new LoanView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        rs.getDate(5).toLocalDate(), rs.getString(6)),
                staff.libraryId());
    }

    /** Overdue list the volunteers ring round on Saturday mornings. */
    @GetMapping("/overdue")
    public List<OverdueView> overdue(@AuthenticationPrincipal StaffUser staff) {
        List<Long> loanIds = jdbc.queryForList(
                "SELECT id FROM loans WHERE library_id = ? AND status = 'OUT' AND due_on < current_date "
                        + "ORDER BY due_on LIMIT 100",
                Long.class, staff.libraryId());

        List<OverdueView> result = new ArrayList<>(loanIds.size());
        for (Long loanId : loanIds) {
            result.add(jdbc.queryForObject("SELECT l.id, t.name, m.full_name, l.due_on FROM loans l "
                            + "JOIN tools t ON t.id = l.tool_id JOIN members m ON m.id = l.member_id "
                            + "WHERE l.id = ? AND l.library_id = ?",
                    (rs, i) -> new OverdueView(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getDate(4).toLocalDate()),
                    loanId, staff.libraryId()));
        }
        return result;
    }

    /** Marks a loan returned at the desk. */
    @PostMapping("/loans/{loanId}/return")
    public void markReturned(@AuthenticationPrincipal StaffUser staff, @PathVariable long loanId) {
        int updated = jdbc.update(
                "UPDATE loans SET status = 'RETURNED', returned_on = current_date "
                        + "WHERE id = ? AND library_id = ? AND status = 'OUT'",
                loanId, staff.libraryId());
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "loan is not out or not in this library");
        }
    }
}
