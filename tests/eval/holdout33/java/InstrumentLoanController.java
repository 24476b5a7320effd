package net.bandroom.loans.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

/**
 * Instrument loans for the bands hosted on Bandroom (each band sees only its own
 * cornets, euphoniums and basses). Two app instances run behind the load balancer.
 * Bigger organisations are busy: the county youth band has ~180 instruments out at once.
 */
@RestController
@RequestMapping("/api/bands/{bandId}/loans")
public class InstrumentLoanController {

    public record Loan(long id, String instrument, String serialNo, String borrower,
                       LocalDate issuedOn, LocalDate dueBack) {}
    public record ExportJob(UUID id, String status, String downloadUrl, Instant startedAt) {}

    private final Map<UUID, ExportJob> exportJobs = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final LoanExportWorker exportWorker;
    private final BandMailer mailer;
    private final LetterRenderer letters;

    public InstrumentLoanController(JdbcTemplate jdbc, LoanExportWorker exportWorker,
                                    BandMailer mailer, LetterRenderer letters) {
        this.jdbc = jdbc;
        this.exportWorker = exportWorker;
        this.mailer = mailer;
        this.letters = letters;
    }

    @GetMapping
    public List<Loan> list(@PathVariable long bandId, @RequestParam(defaultValue = "0") int page) {
        return jdbc.query(
            "SELECT id, instrument, serial_no, borrower, issued_on, due_back FROM instrument_loans " +
            "WHERE band_id = ? AND returned_on IS NULL ORDER BY due_back LIMIT 50 OFFSET ?",
            this::mapLoan, bandId, Math.max(page, 0) * 50);
    }

    @GetMapping("/{loanId}")
    public Loan get(@PathVariable long bandId, @PathVariable long loanId) {
        List<Loan> rows = jdbc.query(
            "SELECT id, instrument, serial_no, borrower, issued_on, due_back FROM instrument_loans WHERE id = ?",
            this::mapLoan, loanId);
        if (rows.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return rows.get(0);
    }

    /** Kicks off the insurance schedule export (PDF per instrument, can take a few minutes). */
    @PostMapping("/exports")
    public ResponseEntity<ExportJob> startExport(@PathVariable long bandId) {
        ExportJob job = new ExportJob(UUID.randomUUID(), "RUNNING", null, Instant.now());
        exportJobs.put(job.id(), job);
        exportWorker.run(bandId, job.id(), url ->
            exportJobs.put(job.id(), new ExportJob(job.id(), "DONE", url, job.startedAt())));
        return ResponseEntity.accepted().body(job);
    }

    @GetMapping("/exports/{jobId}")
    public ExportJob exportStatus(@PathVariable long bandId, @PathVariable UUID jobId) {
        ExportJob job = exportJobs.get(jobId);
        if (job == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such export");
        }
        return job;
    }

    /** Librarian presses "Chase overdue" once a month before the AGM. */
    @PostMapping("/reminders")
    public Map<String, Integer> chaseOverdue(@PathVariable long bandId) {
        List<Loan> overdue = jdbc.query(
            "SELECT id, instrument, serial_no, borrower, issued_on, due_back FROM instrument_loans " +
            "WHERE band_id = ? AND returned_on IS NULL AND due_back < current_date ORDER BY borrower",
            this::mapLoan, bandId);
        List<Object[]> sent = new ArrayList<>();
        for (Loan loan : overdue) {
            byte[] pdf = letters.renderOverdueLetter(bandId, loan);   // letterhead + condition photos
            mailer.sendWithAttachment(bandId, loan.borrower(), "Overdue instrument: " + loan.instrument(), pdf);
            sent.add(new Object[] {bandId, loan.id()});
        }
        jdbc.batchUpdate("INSERT INTO loan_reminders (band_id, loan_id, sent_at) VALUES (?, ?, now())", sent);
        return Map.of("remindersSent", sent.size());
    }

    private Loan mapLoan(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Loan(rs.getLong("id"), rs.getString("instrument"), rs.getString("serial_no"),
            rs.getString("borrower"), rs.getObject("issued_on", LocalDate.class),
            rs.getObject("due_back", LocalDate.class));
    }
}
