package uk.org.thornleyband.loans;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Instrument loans for band members (cornets, tenor horns, euphoniums ...).
 * Members borrow band-owned instruments; the committee reports loans per member
 * each year for the insurer, so we keep a running counter on the member row.
 */
@Repository
public class BrassBandLoanRepository {

    private static final RowMapper<LoanView> LOAN_VIEW = (rs, i) -> new LoanView(
            rs.getLong("id"),
            rs.getString("instrument_name"),
            rs.getString("serial_no"),
            rs.getString("member_name"),
            rs.getTimestamp("loaned_at").toInstant(),
            rs.getObject("due_back", LocalDate.class));

    private final JdbcTemplate jdbc;

    public BrassBandLoanRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public long recordLoan(long memberId, long instrumentId, LocalDate dueBack) {
        // Only one member can hold an instrument at a time.
        int taken = jdbc.update(
                "UPDATE instruments SET status = 'ON_LOAN' WHERE id = ? AND status = 'AVAILABLE'",
                instrumentId);
        if (taken == 0) {
            throw new InstrumentUnavailableException(instrumentId);
        }

        Long loanId = jdbc.queryForObject(
                "INSERT INTO instrument_loans (instrument_id, member_id, loaned_at, due_back) "
                        + "VALUES (?, ?, ?, ?) RETURNING id",
                Long.class, instrumentId, memberId, Timestamp.from(Instant.now()), dueBack);

        int loansThisYear = jdbc.queryForObject("SELECT loans_this_year FROM band_members WHERE id = ?",
                Integer.class, memberId);
        jdbc.update("UPDATE band_members SET loans_this_year = ?, last_loan_at = now() WHERE id = ?",
                loansThisYear + 1, memberId);
        return loanId;
    }

    @Transactional
    public void recordReturn(long loanId, String conditionNotes) {
        Long instrumentId = jdbc.queryForObject(
                "UPDATE instrument_loans SET returned_at = now(), condition_notes = ? "
                        + "WHERE id = ? AND returned_at IS NULL RETURNING instrument_id",
                Long.class, conditionNotes, loanId);
        jdbc.update("UPDATE instruments SET status = 'AVAILABLE' WHERE id = ?", instrumentId);
    }

    /** Full loan history for the librarian's spreadsheet view. */
    public List<LoanView> allLoans() {
        return jdbc.query("SELECT l.id, i.name AS instrument_name, i.serial_no, m.full_name AS member_name, "
                        + "l.loaned_at, l.due_back "
                        + "FROM instrument_loans l JOIN instruments i ON i.id = l.instrument_id "
                        + "JOIN band_members m ON m.id = l.member_id ORDER BY l.loaned_at DESC",
                LOAN_VIEW);
    }

    public record LoanView(long id, String instrument, String serialNo, String member,
                           Instant loanedAt, LocalDate dueBack) {}
}

@RestController
@RequestMapping("/api/loans")
class LoanController {

    private final BrassBandLoanRepository loans;

    LoanController(BrassBandLoanRepository loans) {
        this.loans = loans;
    }

    @GetMapping
    public List<BrassBandLoanRepository.LoanView> list() {
        return loans.allLoans();
    }

    @PostMapping
    public ResponseEntity<Long> lend(@RequestBody LendRequest req) {
        return ResponseEntity.ok(loans.recordLoan(req.memberId(), req.instrumentId(), req.dueBack()));
    }

    record LendRequest(long memberId, long instrumentId, LocalDate dueBack) {}
}
