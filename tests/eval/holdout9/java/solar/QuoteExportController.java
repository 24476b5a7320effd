package com.brightroof.installers.exports;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Year-end quote export for solar installers.
 *
 * Here's a production-ready pattern for long-running exports: the request only
 * creates a job row and returns 202 Accepted; the heavy lifting happens on a
 * bounded @Async executor ("exportExecutor", see AsyncConfig), and clients poll
 * the job status. Job rows live in Postgres, so any replica can answer the poll.
 */
@RestController
@RequestMapping("/api/installers/{installerId}/exports")
public class QuoteExportController {

    private final ExportJobRepository jobs;
    private final QuoteExportWorker worker;

    public QuoteExportController(ExportJobRepository jobs, QuoteExportWorker worker) {
        this.jobs = jobs;
        this.worker = worker;
    }

    @PostMapping
    public ResponseEntity<ExportJobDto> start(@PathVariable long installerId, @RequestParam int year) {
        ExportJob job = jobs.save(ExportJob.pending(installerId, year));
        worker.run(job.getId()); // returns immediately (@Async)
        return ResponseEntity
                .accepted()
                .location(URI.create("/api/installers/" + installerId + "/exports/" + job.getId()))
                .body(ExportJobDto.of(job));
    }

    @GetMapping("/{jobId}")
    public ResponseEntity<ExportJobDto> status(@PathVariable long installerId, @PathVariable long jobId) {
        return jobs.findByIdAndInstallerId(jobId, installerId)
                .map(ExportJobDto::of)
                .map(ResponseEntity::ok)
                .orElse(ResponseEntity.notFound().build());
    }
}

@Component
class QuoteExportWorker {

    private static final Logger log = LoggerFactory.getLogger(QuoteExportWorker.class);
    private static final int PAGE_SIZE = 500;

    private final ExportJobRepository jobs;
    private final QuoteRepository quotes;
    private final ExportStorage storage;

    QuoteExportWorker(ExportJobRepository jobs, QuoteRepository quotes, ExportStorage storage) {
        this.jobs = jobs;
        this.quotes = quotes;
        this.storage = storage;
    }

    @Async("exportExecutor")
    public void run(long jobId) {
        ExportJob job = jobs.findById(jobId).orElseThrow();
        job.markRunning();
        jobs.save(job);
        try (ExportStorage.CsvSink sink = storage.openCsv("quotes-" + jobId + ".csv")) {
            Page<Quote> page;
            int pageNo = 0;
            do {
                // one query per page of 500, with panels/inverters fetched via @EntityGraph
                page = quotes.findByInstallerIdAndYear(job.getInstallerId(), job.getYear(),
                        PageRequest.of(pageNo++, PAGE_SIZE, Sort.by("id")));
                sink.write(page.getContent());
            } while (page.hasNext());
            job.markDone(sink.url());
            jobs.save(job);
        } catch (RuntimeException e) {
            log.error("quote export {} failed", jobId, e);
            job.markFailed(e.getMessage());
            jobs.save(job);
            throw e;
        }
    }

    // export files are kept for 7 days, then the row and the file go away
    @Scheduled(cron = "0 30 3 * * *")
    @Transactional
    public void purgeOldExports() {
        Instant cutoff = Instant.now().minus(7, ChronoUnit.DAYS);
        jobs.findByCreatedAtBefore(cutoff).forEach(j -> storage.delete(j.getFileUrl()));
        jobs.deleteByCreatedAtBefore(cutoff);
    }
}
