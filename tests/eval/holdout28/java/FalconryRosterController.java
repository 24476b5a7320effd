package com.mewsandmoor.roster.web;

import com.mewsandmoor.roster.model.DisplayRoster;
import com.mewsandmoor.roster.model.RosterSlot;
import com.mewsandmoor.roster.pdf.RosterPdfRenderer;
import com.mewsandmoor.roster.repo.RosterRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.Principal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Display rosters for the flying team: which handler flies which bird at
 * which show, with the weathering and rest slots in between.
 * Runs as 3 replicas behind the ALB (see deploy/roster-api.yaml).
 */
@RestController
@RequestMapping("/rosters")
public class FalconryRosterController {

    // rosterId -> username of the coordinator currently editing it
    private static final Map<Long, String> editLocks = new ConcurrentHashMap<>();

    private final RosterRepository rosters;
    private final RosterPdfRenderer pdfRenderer;

    @Value("${roster.db.url}") private String dbUrl;          // ...?connectTimeout=5&socketTimeout=30
    @Value("${roster.db.user}") private String dbUser;
    @Value("${roster.db.password}") private String dbPassword;

    public FalconryRosterController(RosterRepository rosters, RosterPdfRenderer pdfRenderer) {
        this.rosters = rosters;
        this.pdfRenderer = pdfRenderer;
    }

    @PostMapping("/{rosterId}/edit-lock")
    public ResponseEntity<?> acquireEditLock(@PathVariable long rosterId, Principal who) {
        String holder = editLocks.putIfAbsent(rosterId, who.getName());
        if (holder != null && !holder.equals(who.getName())) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("lockedBy", holder));
        }
        return ResponseEntity.ok(Map.of("lockedBy", who.getName()));
    }

    @DeleteMapping("/{rosterId}/edit-lock")
    public ResponseEntity<Void> releaseEditLock(@PathVariable long rosterId, Principal who) {
        editLocks.remove(rosterId, who.getName());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{rosterId}/slots")
    public List<RosterSlot> slots(@PathVariable long rosterId) throws SQLException {
        List<RosterSlot> out = new ArrayList<>();
        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             PreparedStatement ps = conn.prepareStatement("""
                     SELECT s.starts_at, s.kind, h.name AS handler, b.name AS bird, b.species
                       FROM roster_slots s
                       JOIN handlers h ON h.id = s.handler_id
                       LEFT JOIN birds b ON b.id = s.bird_id
                      WHERE s.roster_id = ?
                      ORDER BY s.starts_at
                     """)) {
            ps.setLong(1, rosterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RosterSlot(rs.getTimestamp("starts_at").toInstant(), rs.getString("kind"),
                            rs.getString("handler"), rs.getString("bird"), rs.getString("species")));
                }
            }
        }
        return out;
    }

    /** Printable pack for the whole season, handed to show organisers. */
    @GetMapping(value = "/season/{season}/pack", produces = "application/zip")
    public ResponseEntity<byte[]> seasonPack(@PathVariable int season) throws IOException {
        // fetch-joins slots, handlers and birds in one go
        List<DisplayRoster> seasonRosters = rosters.findSeasonWithSlots(season);

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            for (DisplayRoster roster : seasonRosters) {
                zip.putNextEntry(new ZipEntry(roster.fileName() + ".pdf"));
                // full A4 layout with bird photos and the weathering map, a few seconds each
                zip.write(pdfRenderer.render(roster));
                zip.closeEntry();
            }
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=season-" + season + ".zip")
                .body(buf.toByteArray());
    }
}
