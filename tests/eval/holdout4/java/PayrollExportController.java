package com.peoplegrid.payroll.export;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.*;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

/**
 * Year-end payroll register export (CSV + PDF, can be 50k+ employees for big tenants).
 * The request only enqueues; the worker writes to S3 and the UI polls the job row.
 */
@RestController
@RequestMapping("/api/payroll/exports")
class PayrollExportController {

    private final JdbcTemplate jdbc;
    private final PayrollExportWorker worker;

    PayrollExportController(JdbcTemplate jdbc, PayrollExportWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> start(@RequestAttribute("orgId") long orgId,
                                              @RequestParam int taxYear) {
        UUID jobId = UUID.randomUUID();
        jdbc.update("INSERT INTO payroll_export_jobs (id, org_id, tax_year, status) VALUES (?, ?, ?, 'QUEUED')",
                jobId, orgId, taxYear);
        worker.run(jobId, orgId, taxYear);
        return ResponseEntity.accepted()
                .location(URI.create("/api/payroll/exports/" + jobId))
                .body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/{jobId}")
    ResponseEntity<Map<String, Object>> status(@RequestAttribute("orgId") long orgId, @PathVariable UUID jobId) {
        var rows = jdbc.queryForList(
                "SELECT id, status, download_url, expires_at FROM payroll_export_jobs WHERE id = ? AND org_id = ?",
                jobId, orgId);
        return rows.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(rows.get(0));
    }
}

@Component
class PayrollExportWorker {

    private static final Logger log = LoggerFactory.getLogger(PayrollExportWorker.class);

    private final JdbcTemplate jdbc;
    private final PayrollRegisterWriter writer;

    PayrollExportWorker(JdbcTemplate jdbc, PayrollRegisterWriter writer) {
        this.jdbc = jdbc;
        this.writer = writer;
    }

    @Async("exportExecutor")
    public void run(UUID jobId, long orgId, int taxYear) {
        jdbc.update("UPDATE payroll_export_jobs SET status = 'RUNNING', started_at = now() WHERE id = ? AND org_id = ?",
                jobId, orgId);
        try {
            String url = writer.writeToS3(orgId, taxYear);   // streams rows with a cursor, 5k at a time
            jdbc.update("UPDATE payroll_export_jobs SET status = 'DONE', download_url = ?, " +
                    "expires_at = now() + interval '7 days' WHERE id = ? AND org_id = ?", url, jobId, orgId);
        } catch (Exception e) {
            log.error("payroll export {} failed for org {}", jobId, orgId, e);
            jdbc.update("UPDATE payroll_export_jobs SET status = 'FAILED', error = ? WHERE id = ? AND org_id = ?",
                    e.getMessage(), jobId, orgId);
        }
    }
}

/** Quartz, every hour (see QuartzConfig): drop expired export rows; S3 lifecycle rule removes the files. */
@Component
@DisallowConcurrentExecution
class ExpiredPayrollExportPurgeJob implements Job {

    private final JdbcTemplate jdbc;

    ExpiredPayrollExportPurgeJob(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void execute(JobExecutionContext ctx) {
        int n = jdbc.update("DELETE FROM payroll_export_jobs WHERE expires_at < now() - interval '1 day' " +
                "OR (status = 'FAILED' AND created_at < now() - interval '30 days')");
        LoggerFactory.getLogger(getClass()).info("purged {} expired payroll exports", n);
    }
}
