package uk.rowingclubs.outings.web;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import uk.rowingclubs.outings.domain.Boat;
import uk.rowingclubs.outings.domain.Outing;

interface OutingRepository extends JpaRepository<Outing, Long> {
    List<Outing> findByClubIdOrderByLaunchedAtDesc(long clubId);
}

interface BoatRepository extends JpaRepository<Boat, Long> {
}

/**
 * Outing log for the club boathouse: every time a crew takes a boat out it is logged here,
 * so captains can see who had which shell and how far they went.
 * Several clubs share the same deployment; every table carries club_id.
 */
@RestController
@RequestMapping("/api/clubs/{clubId}/outings")
public class OutingLogController {

    private final OutingRepository outings;
    private final BoatRepository boats;
    private final JdbcTemplate jdbc;

    public OutingLogController(OutingRepository outings, BoatRepository boats, JdbcTemplate jdbc) {
        this.outings = outings;
        this.boats = boats;
        this.jdbc = jdbc;
    }

    public record OutingRow(long id, OffsetDateTime launchedAt, String boatName, String boatClass,
                            double distanceKm, int crewSize) {}

    public record OutingDetail(long id, OffsetDateTime launchedAt, OffsetDateTime returnedAt,
                               String boatName, String coxName, double distanceKm, String notes) {}

    public record NewOuting(long boatId, OffsetDateTime launchedAt, String coxName, int crewSize) {}

    @GetMapping
    public List<OutingRow> outingLog(@PathVariable long clubId) {
        List<Outing> logged = outings.findByClubIdOrderByLaunchedAtDesc(clubId);

        List<OutingRow> rows = new ArrayList<>(logged.size());
        for (Outing outing : logged) {
            // Boat names change when shells are re-christened, so look the current name up.
            Boat boat = boats.findById(outing.getBoatId()).orElse(null);
            rows.add(new OutingRow(
                    outing.getId(),
                    outing.getLaunchedAt(),
                    boat != null ? boat.getName() : "(retired boat)",
                    boat != null ? boat.getBoatClass() : "?",
                    outing.getDistanceKm(),
                    outing.getCrewSize()));
        }
        return rows;
    }

    @GetMapping("/{outingId}")
    public OutingDetail outing(@PathVariable long clubId, @PathVariable long outingId) {
        List<OutingDetail> found = jdbc.query(
                "SELECT o.id, o.launched_at, o.returned_at, b.name AS boat_name, o.cox_name, o.distance_km, o.notes "
                        + "FROM outings o JOIN boats b ON b.id = o.boat_id WHERE o.id = ?",
                (rs, i) -> new OutingDetail(
                        rs.getLong("id"),
                        rs.getObject("launched_at", OffsetDateTime.class),
                        rs.getObject("returned_at", OffsetDateTime.class),
                        rs.getString("boat_name"),
                        rs.getString("cox_name"),
                        rs.getDouble("distance_km"),
                        rs.getString("notes")),
                outingId);
        if (found.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such outing");
        }
        return found.get(0);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public long launch(@PathVariable long clubId, @RequestBody NewOuting body) {
        Boat boat = boats.findById(body.boatId())
                .filter(b -> b.getClubId() == clubId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "boat not in this club"));
        if (boat.isOutOfService()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, boat.getName() + " is out of service");
        }
        Outing outing = new Outing(clubId, boat.getId(), body.launchedAt(), body.coxName(), body.crewSize());
        return outings.save(outing).getId();
    }
}
