package org.hedgerowsurvey.api;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.*;

// Volunteer hedgerow survey: sightings logged along hedge segments, per survey.
@RestController
@RequestMapping("/api")
public class HedgerowSightingController {

    @Value("${survey.db.url}")
    private String dbUrl;
    @Value("${survey.db.user}")
    private String dbUser;
    @Value("${survey.db.password}")
    private String dbPassword;

    @GetMapping("/surveys/{surveyId}/sightings")
    public List<SightingDto> sightings(@PathVariable long surveyId,
                                       @RequestParam(defaultValue = "0") int page) throws SQLException {
        List<SightingDto> result = new ArrayList<>();
        try (Connection conn = open();
             PreparedStatement ps = conn.prepareStatement(
                     "SELECT id, species_code, hedge_segment_id, volunteer_name, observed_at "
                             + "FROM sightings WHERE survey_id = ? ORDER BY observed_at DESC LIMIT 50 OFFSET ?")) {
            ps.setLong(1, surveyId);
            ps.setInt(2, page * 50);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new SightingDto(rs.getLong("id"), rs.getString("species_code"),
                            rs.getLong("hedge_segment_id"), rs.getString("volunteer_name"),
                            rs.getTimestamp("observed_at").toInstant(), null, null));
                }
            }

            // Fill in the display names and conservation status for the species list.
            List<SightingDto> named = new ArrayList<>(result.size());
            for (SightingDto s : result) {
                try (PreparedStatement sp = conn.prepareStatement(
                        "SELECT common_name, conservation_status FROM species WHERE code = ?")) {
                    sp.setString(1, s.speciesCode());
                    try (ResultSet rs = sp.executeQuery()) {
                        named.add(rs.next()
                                ? s.withSpecies(rs.getString("common_name"), rs.getString("conservation_status"))
                                : s);
                    }
                }
            }
            return named;
        }
    }

    // Drives the county map on the survey landing page.
    @GetMapping("/surveys/summary")
    public List<ParishSpeciesRow> countySummary() throws SQLException {
        List<ParishSpeciesRow> rows = new ArrayList<>();
        try (Connection conn = open();
             PreparedStatement ps = conn.prepareStatement("SELECT h.parish, s.species_code, COUNT(*) AS sightings, "
                     + "COUNT(DISTINCT s.volunteer_name) AS volunteers, "
                     + "SUM(h.length_m) AS hedge_metres, "
                     + "percentile_cont(0.5) WITHIN GROUP (ORDER BY h.woody_species_per_30m) AS median_diversity "
                     + "FROM sightings s JOIN hedge_segments h ON h.id = s.hedge_segment_id "
                     + "GROUP BY h.parish, s.species_code "
                     + "ORDER BY h.parish, sightings DESC");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new ParishSpeciesRow(rs.getString("parish"), rs.getString("species_code"),
                        rs.getLong("sightings"), rs.getLong("volunteers"),
                        rs.getDouble("hedge_metres"), rs.getDouble("median_diversity")));
            }
        }
        return rows;
    }

    private Connection open() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, dbPassword);
    }

    public record SightingDto(long id, String speciesCode, long hedgeSegmentId, String volunteerName,
                              java.time.Instant observedAt, String commonName, String conservationStatus) {
        SightingDto withSpecies(String name, String status) {
            return new SightingDto(id, speciesCode, hedgeSegmentId, volunteerName, observedAt, name, status);
        }
    }

    public record ParishSpeciesRow(String parish, String speciesCode, long sightings, long volunteers,
                                   double hedgeMetres, double medianDiversity) {}
}
