package org.commonseed.library;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

@Service
public class SeedLibraryCatalog {

    private final NamedParameterJdbcTemplate jdbc;
    private final ReminderSender reminders;

    // USDA zone by 3-digit ZIP prefix; loaded once at boot, never written afterwards
    private Map<String, String> zoneByZipPrefix = Map.of();

    // variety detail pages (growing notes, photos, stock per branch)
    private final Cache<Long, VarietyDetail> varietyCache = Caffeine.newBuilder()
            .maximumSize(5_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public SeedLibraryCatalog(NamedParameterJdbcTemplate jdbc, ReminderSender reminders) {
        this.jdbc = jdbc;
        this.reminders = reminders;
    }

    @PostConstruct
    void loadZones() throws IOException {
        Map<String, String> zones = new HashMap<>();
        try (InputStream in = new ClassPathResource("usda-zones.csv").getInputStream()) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split(",");
                if (parts.length == 2) zones.put(parts[0].trim(), parts[1].trim());
            }
        }
        zoneByZipPrefix = Map.copyOf(zones);
    }

    public String zoneFor(String zip) {
        return zoneByZipPrefix.getOrDefault(zip.substring(0, 3), "unknown");
    }

    public VarietyDetail variety(long varietyId) {
        return varietyCache.get(varietyId, id -> jdbc.queryForObject(
                "SELECT * FROM varieties WHERE id = :id",
                new MapSqlParameterSource("id", id), VarietyDetail.MAPPER));
    }

    // a member's own checkouts and returns ("my seeds" page); cache spec in application.yml:
    // spring.cache.caffeine.spec=maximumSize=20000,expireAfterWrite=2m
    @Cacheable(cacheNames = "memberLoans", key = "#memberId")
    public List<LoanView> loansForMember(long memberId) {
        return jdbc.query("""
                SELECT l.id, v.name, l.packets, l.checked_out_on, l.grow_report_due
                  FROM loans l JOIN varieties v ON v.id = l.variety_id
                 WHERE l.member_id = :member AND l.returned_on IS NULL
                 ORDER BY l.checked_out_on DESC
                 LIMIT 100
                """, new MapSqlParameterSource("member", memberId), LoanView.MAPPER);
    }

    // Season-end reminder for grow reports. Walks overdue loans 500 at a time.
    @Scheduled(cron = "0 0 9 * * MON")
    @SchedulerLock(name = "growReportReminders", lockAtMostFor = "PT30M")
    public void remindOverdueGrowReports() {
        long afterId = 0;
        while (true) {
            List<OverdueLoan> page = jdbc.query("""
                    SELECT id, member_id, variety_id FROM loans
                     WHERE grow_report_due < :today AND grow_report_id IS NULL AND id > :after
                     ORDER BY id LIMIT 500
                    """, new MapSqlParameterSource().addValue("today", LocalDate.now()).addValue("after", afterId),
                    OverdueLoan.MAPPER);
            if (page.isEmpty()) break;

            List<Long> memberIds = page.stream().map(OverdueLoan::memberId).distinct().toList();
            Map<Long, Member> members = Member.index(jdbc.query(
                    "SELECT id, email, first_name FROM members WHERE id IN (:ids)",
                    new MapSqlParameterSource("ids", memberIds), Member.MAPPER));

            reminders.sendBatch(page, members);
            afterId = page.get(page.size() - 1).id();
        }
    }
}
