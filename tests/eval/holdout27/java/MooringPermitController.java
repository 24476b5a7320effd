package uk.org.kennetmoorings.web;

import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

import uk.org.kennetmoorings.security.BoaterPrincipal;

/**
 * Winter mooring permits for the visitor berths between Newbury and Devizes.
 *
 * A boater picks a berth and a date range, we check their boat licence with the
 * navigation authority, then place a 30 minute hold while they pay the permit fee.
 */
@RestController
@RequestMapping("/api/moorings")
public class MooringPermitController {

    public record HoldRequest(String boatIndex, LocalDate startsOn, LocalDate endsOn) {}
    public record HoldResponse(long holdId, long berthId, LocalDate startsOn, LocalDate endsOn) {}
    public record LicenceStatus(String boatIndex, boolean current, LocalDate expires) {}

    private final JdbcTemplate jdbc;
    private final RestTemplate licenceApi = new RestTemplate();
    private final String licenceBaseUrl;

    public MooringPermitController(JdbcTemplate jdbc,
                                   @Value("${navigation.licence-api.base-url}") String licenceBaseUrl) {
        this.jdbc = jdbc;
        this.licenceBaseUrl = licenceBaseUrl;
    }

    @PostMapping("/berths/{berthId}/holds")
    @Transactional
    public ResponseEntity<HoldResponse> placeHold(@PathVariable long berthId,
                                                  @RequestBody HoldRequest req,
                                                  @AuthenticationPrincipal BoaterPrincipal boater) {
        if (!req.endsOn().isAfter(req.startsOn())) {
            return ResponseEntity.badRequest().build();
        }

        // Permits are only issued to boats with a current navigation licence.
        LicenceStatus licence = licenceApi.getForObject(
                licenceBaseUrl + "/boats/{index}/licence", LicenceStatus.class, req.boatIndex());
        if (licence == null || !licence.current()) {
            return ResponseEntity.unprocessableEntity().build();
        }

        // A berth can only have one confirmed permit or live hold for any given night.
        Integer overlapping = jdbc.queryForObject(
                "SELECT count(*) FROM berth_holds WHERE berth_id = ? AND starts_on < ? AND ends_on > ? "
                        + "AND (confirmed OR expires_at > now())",
                Integer.class, berthId, req.endsOn(), req.startsOn());
        if (overlapping != null && overlapping > 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }

        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "INSERT INTO berth_holds (berth_id, boater_id, boat_index, starts_on, ends_on, confirmed, expires_at) "
                            + "VALUES (?, ?, ?, ?, ?, false, now() + interval '30 minutes')",
                    new String[] {"id"});
            ps.setLong(1, berthId);
            ps.setLong(2, boater.id());
            ps.setString(3, req.boatIndex());
            ps.setObject(4, req.startsOn());
            ps.setObject(5, req.endsOn());
            return ps;
        }, keys);

        long holdId = keys.getKey().longValue();
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new HoldResponse(holdId, berthId, req.startsOn(), req.endsOn()));
    }

    /** Called by the payment page once the permit fee has been taken. */
    @PostMapping("/holds/{holdId}/confirm")
    public ResponseEntity<Map<String, Object>> confirm(@PathVariable long holdId,
                                                       @AuthenticationPrincipal BoaterPrincipal boater) {
        int updated = jdbc.update(
                "UPDATE berth_holds SET confirmed = true, confirmed_at = now() "
                        + "WHERE id = ? AND boater_id = ? AND NOT confirmed AND expires_at > now()",
                holdId, boater.id());
        if (updated == 0) {
            return ResponseEntity.status(HttpStatus.GONE)
                    .body(Map.of("error", "hold expired or already confirmed"));
        }
        return ResponseEntity.ok(Map.of("holdId", holdId, "status", "CONFIRMED"));
    }

    @GetMapping("/holds/mine")
    public Object myHolds(@AuthenticationPrincipal BoaterPrincipal boater) {
        return jdbc.queryForList(
                "SELECT id, berth_id, starts_on, ends_on, confirmed FROM berth_holds "
                        + "WHERE boater_id = ? AND (confirmed OR expires_at > now()) "
                        + "ORDER BY starts_on DESC LIMIT 20",
                boater.id());
    }
}
