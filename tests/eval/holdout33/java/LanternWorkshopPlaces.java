package org.wickhamlanterns.workshops;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places on the willow-and-tissue lantern making workshops before the November parade.
 * Each workshop has a fixed number of tables; families take one place per lantern.
 *
 * Schema notes (V14__workshop_places.sql):
 *   workshop_places(workshop_id, family_id) PRIMARY KEY (workshop_id, family_id)
 *   workshops.places_left CHECK (places_left >= 0)
 */
@Service
public class LanternWorkshopPlaces {

    private static final Logger log = LoggerFactory.getLogger(LanternWorkshopPlaces.class);
    private static final int PAGE_SIZE = 50;

    public enum Outcome { BOOKED, ALREADY_BOOKED, FULL }

    public record PlaceRow(long familyId, String familyName, int lanterns) {}

    private final JdbcTemplate jdbc;

    public LanternWorkshopPlaces(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes a place if one is left. The decrement and the check happen in the same
     * UPDATE, so two families clicking at once can never both get the last table.
     */
    @Transactional
    public Outcome takePlace(long workshopId, long familyId, int lanterns) {
        int claimed = jdbc.update(
            "UPDATE workshops SET places_left = places_left - 1 " +
            "WHERE id = ? AND places_left > 0 AND starts_at > now()",
            workshopId);
        if (claimed == 0) {
            return Outcome.FULL;
        }

        int inserted = jdbc.update(
            "INSERT INTO workshop_places (workshop_id, family_id, lanterns, booked_at) " +
            "VALUES (?, ?, ?, now()) ON CONFLICT (workshop_id, family_id) DO NOTHING",
            workshopId, familyId, lanterns);
        if (inserted == 0) {
            // give the table back; the family already has a place on this workshop
            jdbc.update("UPDATE workshops SET places_left = places_left + 1 WHERE id = ?", workshopId);
            return Outcome.ALREADY_BOOKED;
        }
        log.info("family {} booked onto lantern workshop {}", familyId, workshopId);
        return Outcome.BOOKED;
    }

    @Transactional
    public boolean releasePlace(long workshopId, long familyId) {
        int removed = jdbc.update(
            "DELETE FROM workshop_places WHERE workshop_id = ? AND family_id = ?",
            workshopId, familyId);
        if (removed == 0) {
            return false;
        }
        jdbc.update(
            "UPDATE workshops SET places_left = places_left + 1 WHERE id = ? AND places_left < capacity",
            workshopId);
        return true;
    }

    /** Organisers' register, printed for the door. */
    public List<PlaceRow> register(long workshopId, int page) {
        return jdbc.query(
            "SELECT f.id, f.family_name, p.lanterns FROM workshop_places p " +
            "JOIN families f ON f.id = p.family_id " +
            "WHERE p.workshop_id = ? ORDER BY f.family_name LIMIT ? OFFSET ?",
            (rs, i) -> new PlaceRow(rs.getLong(1), rs.getString(2), rs.getInt(3)),
            workshopId, PAGE_SIZE, Math.max(page, 0) * PAGE_SIZE);
    }

    public void renameFamily(long familyId, String newName) {
        try {
            jdbc.update("UPDATE families SET family_name = ? WHERE id = ?", newName, familyId);
        } catch (DuplicateKeyException e) {
            log.warn("family name {} already taken (family {})", newName, familyId);
            throw new FamilyNameTakenException(newName, e);
        }
    }
}
