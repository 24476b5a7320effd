package uk.org.hazelwoodtrust.coppicing.service;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import uk.org.hazelwoodtrust.coppicing.domain.CoupeTally;
import uk.org.hazelwoodtrust.coppicing.domain.SeasonSummary;
import uk.org.hazelwoodtrust.coppicing.repo.CoupeTallyRepository;
import uk.org.hazelwoodtrust.coppicing.repo.WorkDayRepository;

/**
 * Records what volunteers cut on community coppicing days and serves the
 * season summary shown on the public "this winter in the wood" page.
 */
@Service
public class CoppiceDayService {

    private static final Duration SUMMARY_TTL = Duration.ofMinutes(10);

    private final CoupeTallyRepository tallies;
    private final WorkDayRepository workDays;
    private final RedisTemplate<String, SeasonSummary> cache;

    public CoppiceDayService(CoupeTallyRepository tallies,
                             WorkDayRepository workDays,
                             RedisTemplate<String, SeasonSummary> cache) {
        this.tallies = tallies;
        this.workDays = workDays;
        this.cache = cache;
    }

    /**
     * Each work party leader reports from their phone at the end of the session
     * how many bundles of hazel rods, bean poles and pea sticks their group cut.
     * Several groups work the same coupe on a busy Saturday.
     */
    @Transactional
    public CoupeTally recordHarvest(long coupeId, int rodBundles, int beanPoles, int peaSticks) {
        CoupeTally tally = tallies.findById(coupeId)
                .orElseThrow(() -> new IllegalArgumentException("Unknown coupe " + coupeId));

        tally.setRodBundles(tally.getRodBundles() + rodBundles);
        tally.setBeanPoles(tally.getBeanPoles() + beanPoles);
        tally.setPeaSticks(tally.getPeaSticks() + peaSticks);
        tally.setLastReportedOn(LocalDate.now());

        return tallies.save(tally);
    }

    /**
     * Season totals across every coupe and work day. The aggregate walks all
     * tally and attendance rows for the season, so it is cached in Redis.
     */
    public SeasonSummary seasonSummary(int seasonStartYear) {
        String key = "coppice:season-summary:" + seasonStartYear;

        SeasonSummary cached = cache.opsForValue().get(key);
        if (cached != null) {
            return cached;
        }

        SeasonSummary fresh = new SeasonSummary(
                seasonStartYear,
                workDays.countVolunteerHoursForSeason(seasonStartYear),
                workDays.countDistinctVolunteersForSeason(seasonStartYear),
                tallies.sumRodBundlesForSeason(seasonStartYear),
                tallies.sumBeanPolesForSeason(seasonStartYear),
                tallies.areaCoppicedHectaresForSeason(seasonStartYear));

        cache.opsForValue().set(key, fresh, SUMMARY_TTL);
        return fresh;
    }

    /** Upcoming work days for the booking page; the calendar only shows the next few weeks. */
    public List<WorkDayRepository.UpcomingDay> upcomingDays() {
        return workDays.findTop12ByDateGreaterThanEqualOrderByDateAsc(LocalDate.now());
    }
}
