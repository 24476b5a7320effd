package com.hirelane.alerts;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Daily "new jobs matching your search" e-mails.
 * ShedLock makes sure only one of the pods runs this.
 */
@Component
public class JobAlertJob {

    private static final Logger log = LoggerFactory.getLogger(JobAlertJob.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final JobSearchRepository search;
    private final CompanyRepository companies;
    private final TransactionalMailClient mail;

    public JobAlertJob(NamedParameterJdbcTemplate jdbc, JobSearchRepository search,
                       CompanyRepository companies, TransactionalMailClient mail) {
        this.jdbc = jdbc;
        this.search = search;
        this.companies = companies;
        this.mail = mail;
    }

    @Scheduled(cron = "0 0 7 * * *", zone = "UTC")
    @SchedulerLock(name = "job-alerts", lockAtMostFor = "PT2H")
    public void sendDailyAlerts() {
        List<SavedSearch> due = search.findDueSavedSearches(OffsetDateTime.now().minusHours(23));
        List<Long> sent = new ArrayList<>();

        for (SavedSearch s : due) {
            List<JobPosting> matches = search.matchingSince(s, s.lastSentAt(), 20);
            if (matches.isEmpty()) {
                continue;
            }
            List<AlertItem> items = new ArrayList<>();
            for (JobPosting job : matches) {
                Company company = companies.findById(job.companyId()).orElse(Company.UNKNOWN);
                items.add(new AlertItem(job.title(), company.name(), job.location(), job.url()));
            }
            if (deliver(s.email(), items)) {
                sent.add(s.id());
            }
        }

        if (!sent.isEmpty()) {
            jdbc.update("UPDATE saved_searches SET last_sent_at = now() WHERE id IN (:ids)",
                    new MapSqlParameterSource("ids", sent));
        }
        log.info("job alerts: {} due, {} sent", due.size(), sent.size());
    }

    private boolean deliver(String email, List<AlertItem> items) {
        int attempt = 0;
        while (true) {
            try {
                mail.send("job-alert", email, items);
                return true;
            } catch (MailProviderException e) {
                attempt++;
                log.warn("mail to {} failed (attempt {}): {}", email, attempt, e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}
