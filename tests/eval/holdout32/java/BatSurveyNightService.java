package org.batgroup.surveys;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import org.batgroup.surveys.model.SurveyNight;
import org.batgroup.surveys.model.SurveyNightView;
import org.batgroup.surveys.model.Volunteer;
import org.batgroup.surveys.model.VolunteerRepository;

interface SurveyNightRepository extends JpaRepository<SurveyNight, Long> {

    List<SurveyNight> findTop60BySiteIdAndNightDateGreaterThanEqualOrderByNightDate(long siteId, LocalDate from);

    /** Takes a volunteer place only while one is left; returns 0 when the night is full. */
    @Modifying
    @Query("""
            UPDATE SurveyNight n
               SET n.volunteersBooked = n.volunteersBooked + 1
             WHERE n.id = :id AND n.volunteersBooked < n.volunteersNeeded
            """)
    int takePlace(@Param("id") long nightId);
}

/**
 * Emergence and transect survey nights for the county bat group. The site calendar
 * is the same for every volunteer, so it is cached per site (bounded, 5 minute TTL).
 */
@Service
public class BatSurveyNightService {

    private final SurveyNightRepository nights;
    private final VolunteerRepository volunteers;

    // Caffeine computes each missing key once; concurrent callers for the same site wait on that load.
    private final LoadingCache<Long, List<SurveyNightView>> calendarBySite;

    public BatSurveyNightService(SurveyNightRepository nights, VolunteerRepository volunteers) {
        this.nights = nights;
        this.volunteers = volunteers;
        this.calendarBySite = Caffeine.newBuilder()
                .maximumSize(1_000)
                .expireAfterWrite(Duration.ofMinutes(5))
                .build(this::loadCalendar);
    }

    public List<SurveyNightView> calendar(long siteId) {
        return calendarBySite.get(siteId);
    }

    @Transactional
    public boolean signUp(long nightId, long siteId) {
        boolean booked = nights.takePlace(nightId) == 1;
        if (booked) {
            calendarBySite.invalidate(siteId);
        }
        return booked;
    }

    @Transactional(readOnly = true)
    List<SurveyNightView> loadCalendar(long siteId) {
        List<SurveyNight> upcoming =
                nights.findTop60BySiteIdAndNightDateGreaterThanEqualOrderByNightDate(siteId, LocalDate.now());

        // One query for all the lead surveyors on the calendar rather than one per night.
        List<Long> leadIds = upcoming.stream()
                .map(SurveyNight::getLeadVolunteerId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        Map<Long, Volunteer> leads = volunteers.findAllById(leadIds).stream()
                .collect(Collectors.toMap(Volunteer::getId, Function.identity()));

        return upcoming.stream()
                .map(n -> new SurveyNightView(
                        n.getId(),
                        n.getNightDate(),
                        n.getSurveyType(),
                        n.getVolunteersNeeded() - n.getVolunteersBooked(),
                        leads.containsKey(n.getLeadVolunteerId())
                                ? leads.get(n.getLeadVolunteerId()).getDisplayName()
                                : "TBC",
                        n.requiresBatLicence()))
                .toList();
    }
}
