package org.countymoths.recording.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import org.countymoths.recording.atlas.AtlasRenderer;
import org.countymoths.recording.atlas.SpeciesRepository;
import org.countymoths.recording.atlas.Species;

/**
 * Moth-trapping survey records for the county recorder. Trap operators submit their
 * Robinson / Skinner trap catches; the recorder publishes the county atlas from them.
 */
@RestController
@RequestMapping("/api/surveys")
public class MothSurveyController {

    public record TrapRecord(long trapId, String speciesCode, int quantity, LocalDate caughtOn, String gridRef) {}

    @Value("${recording.db.url}")
    private String dbUrl;
    @Value("${recording.db.user}")
    private String dbUser;
    @Value("${recording.db.password}")
    private String dbPassword;
    @Value("${recording.atlas.output-dir}")
    private Path atlasDir;

    private final SpeciesRepository speciesRepo;
    private final AtlasRenderer atlasRenderer;

    public MothSurveyController(SpeciesRepository speciesRepo, AtlasRenderer atlasRenderer) {
        this.speciesRepo = speciesRepo;
        this.atlasRenderer = atlasRenderer;
    }

    /** Every record from a trap site, shown in the recorder's verification table. */
    @GetMapping("/sites/{siteId}/records")
    public List<TrapRecord> records(@PathVariable long siteId) throws SQLException {
        List<TrapRecord> out = new ArrayList<>();
        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             PreparedStatement ps = conn.prepareStatement(
                     "SELECT trap_id, species_code, quantity, caught_on, grid_ref FROM trap_records "
                             + "WHERE site_id = ? ORDER BY caught_on DESC, species_code")) {
            ps.setLong(1, siteId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TrapRecord(rs.getLong("trap_id"), rs.getString("species_code"),
                            rs.getInt("quantity"), rs.getDate("caught_on").toLocalDate(),
                            rs.getString("grid_ref")));
                }
            }
        }
        return out;
    }

    /**
     * Regenerates the county atlas: one tetrad distribution map per species, with
     * pre-2000 and post-2000 dots. The recorder presses "Publish atlas" after verification.
     * Dorset has around 1,400 species on the list and a map takes 0.2-0.4 s to render.
     */
    @PostMapping("/atlas/{countyCode}/publish")
    public ResponseEntity<Map<String, Object>> publishAtlas(@PathVariable String countyCode) throws Exception {
        List<Species> species = speciesRepo.findByCountyCodeOrderByTaxonOrder(countyCode);
        Path out = Files.createDirectories(atlasDir.resolve(countyCode));

        int rendered = 0;
        for (Species sp : species) {
            byte[] png = atlasRenderer.renderTetradMap(countyCode, sp.getCode(), 1990, LocalDate.now().getYear());
            Files.write(out.resolve(sp.getCode() + ".png"), png);
            rendered++;
        }
        atlasRenderer.writeIndexPage(countyCode, species, out.resolve("index.html"));

        return ResponseEntity.ok(Map.of("county", countyCode, "mapsRendered", rendered));
    }
}
