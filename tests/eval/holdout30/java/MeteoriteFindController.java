package org.fireballwatch.finds.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fireballwatch.finds.domain.FindStatus;
import org.fireballwatch.finds.domain.MeteoriteReport;
import org.fireballwatch.finds.domain.MeteoriteReportRepository;
import org.fireballwatch.finds.geo.ReverseGeocoder;
import org.fireballwatch.finds.security.Member;
import org.fireballwatch.finds.web.dto.ReportView;
import org.fireballwatch.finds.web.errors.NoSuchFindException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

/**
 * Public meteorite find reports. Members of the public submit a suspected find
 * with a location; experienced members "confirm" a report after seeing photos,
 * and three confirmations move it to CORROBORATED so the museum gets a referral.
 */
@RestController
@RequestMapping("/api/finds")
public class MeteoriteFindController {

    private static final int CONFIRMATIONS_NEEDED = 3;

    private final MeteoriteReportRepository reports;
    private final JdbcTemplate jdbc;
    private final ReverseGeocoder geocoder;

    // Grid square (~1 km) -> nearest place name, to label finds on the map.
    private final Map<String, String> placeNames = new ConcurrentHashMap<>();

    public MeteoriteFindController(MeteoriteReportRepository reports, JdbcTemplate jdbc, ReverseGeocoder geocoder) {
        this.reports = reports;
        this.jdbc = jdbc;
        this.geocoder = geocoder;
    }

    /** Newest finds for the homepage list. */
    @GetMapping("/recent")
    public List<ReportView> recent(@RequestParam(defaultValue = "0") int page) {
        return reports.findAll(PageRequest.of(page, 25, Sort.by(Sort.Direction.DESC, "reportedAt")))
                .map(r -> ReportView.of(r, r.getPlaceName()))
                .getContent();
    }

    @GetMapping("/{id}")
    public ReportView detail(@PathVariable long id) {
        MeteoriteReport found = reports.findById(id).orElseThrow(() -> new NoSuchFindException(id));
        String place = found.getPlaceName() != null
                ? found.getPlaceName()
                : placeName(found.getLatitude(), found.getLongitude());
        return ReportView.of(found, place);
    }

    /** Counts panel shown next to the homepage map. */
    @GetMapping("/stats")
    public List<Map<String, Object>> stats() {
        return jdbc.queryForList("SELECT l.county, count(*) AS finds, sum(r.mass_g) AS total_mass_g, "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY r.mass_g) AS median_mass_g, "
                + "count(*) FILTER (WHERE r.status = 'CORROBORATED') AS corroborated, max(r.found_on) AS latest "
                + "FROM meteorite_reports r JOIN find_locations l ON l.report_id = r.id "
                + "GROUP BY l.county ORDER BY finds DESC");
    }

    @PostMapping("/{id}/confirmations")
    @Transactional
    public ReportView confirm(@PathVariable long id, @AuthenticationPrincipal Member member) {
        // The (report_id, member_id) primary key stops one member confirming twice.
        int inserted = jdbc.update("INSERT INTO report_confirmations (report_id, member_id) VALUES (?, ?) "
                + "ON CONFLICT DO NOTHING", id, member.id());

        MeteoriteReport report = reports.findById(id).orElseThrow(() -> new NoSuchFindException(id));
        if (inserted == 1) {
            report.setConfirmations(report.getConfirmations() + 1);
            if (report.getConfirmations() >= CONFIRMATIONS_NEEDED && report.getStatus() == FindStatus.SUBMITTED) {
                report.setStatus(FindStatus.CORROBORATED);
            }
            reports.save(report);
        }
        return ReportView.of(report, report.getPlaceName());
    }

    private String placeName(double lat, double lon) {
        String square = String.format(Locale.ROOT, "%.2f,%.2f", lat, lon);
        return placeNames.computeIfAbsent(square, k -> geocoder.nearestPlace(lat, lon));
    }
}
