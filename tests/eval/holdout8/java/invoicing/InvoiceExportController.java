package app.ledgerly.exports;

import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/exports")
class InvoiceExportController {

    private final JdbcTemplate jdbc;
    private final InvoiceExportWorker worker;

    InvoiceExportController(JdbcTemplate jdbc, InvoiceExportWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    // Exports can be 200k+ invoices for big accounts, so we never build them in the request.
    @PostMapping
    public ResponseEntity<Map<String, Object>> start(@AuthenticationPrincipal AccountUser user,
                                                     @RequestParam int year) {
        Long jobId = jdbc.queryForObject(
                "INSERT INTO export_jobs (account_id, requested_by, year, status, expires_at) "
                        + "VALUES (?, ?, ?, 'QUEUED', now() + interval '7 days') RETURNING id",
                Long.class, user.accountId(), user.id(), year);
        worker.run(jobId, user.accountId(), year);
        return ResponseEntity.accepted()
                .location(URI.create("/api/exports/" + jobId))
                .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/{jobId}")
    public Map<String, Object> status(@AuthenticationPrincipal AccountUser user, @PathVariable long jobId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, status, download_url, error FROM export_jobs WHERE id = ? AND account_id = ?",
                jobId, user.accountId());
        if (rows.isEmpty()) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND);
        }
        return rows.get(0);
    }
}

@Component
class InvoiceExportWorker {

    private static final Logger log = LoggerFactory.getLogger(InvoiceExportWorker.class);
    private static final int PAGE = 2_000;

    private final JdbcTemplate jdbc;
    private final ExportStorage storage;

    InvoiceExportWorker(JdbcTemplate jdbc, ExportStorage storage) {
        this.jdbc = jdbc;
        this.storage = storage;
    }

    @Async("exportExecutor")
    public void run(long jobId, long accountId, int year) {
        jdbc.update("UPDATE export_jobs SET status = 'RUNNING', started_at = now() WHERE id = ?", jobId);
        try (OutputStream out = storage.openCsv(jobId)) {
            CsvWriter csv = new CsvWriter(out, "number", "customer", "issued_on", "total", "status");
            long lastId = 0;
            while (true) {
                // keyset pagination: one query per 2k invoices, not per invoice
                List<InvoiceRow> page = jdbc.query(
                        "SELECT i.id, i.number, c.name, i.issued_on, i.total, i.status FROM invoices i "
                                + "JOIN customers c ON c.id = i.customer_id AND c.account_id = i.account_id "
                                + "WHERE i.account_id = ? AND extract(year FROM i.issued_on) = ? AND i.id > ? "
                                + "ORDER BY i.id LIMIT ?",
                        InvoiceRow.MAPPER, accountId, year, lastId, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(csv::write);
                lastId = page.get(page.size() - 1).id();
            }
            csv.flush();
            jdbc.update("UPDATE export_jobs SET status = 'DONE', download_url = ?, finished_at = now() WHERE id = ?",
                    storage.signedUrl(jobId), jobId);
        } catch (Exception e) {
            log.error("invoice export {} for account {} failed", jobId, accountId, e);
            jdbc.update("UPDATE export_jobs SET status = 'FAILED', error = ? WHERE id = ?", e.getMessage(), jobId);
            throw new ExportFailedException(jobId, e);
        }
    }

    // exports are kept 7 days; remove the rows and the files after that
    @Scheduled(cron = "0 30 3 * * *")
    public void purgeExpired() {
        List<Long> expired = jdbc.queryForList(
                "DELETE FROM export_jobs WHERE expires_at < now() RETURNING id", Long.class);
        storage.deleteAll(expired); // S3 DeleteObjects, up to 1000 keys per call
    }
}
