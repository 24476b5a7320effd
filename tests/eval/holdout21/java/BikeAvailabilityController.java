package coop.pedalfreight.rentals.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cargo bike availability per depot, shown on the public map and in the app.
 * The same list is shown to every visitor, so it is cached per depot (not per user)
 * for 20 seconds. Caffeine's LoadingCache runs one load per key at a time; concurrent
 * requests for the same depot wait for that load instead of all querying the DB.
 */
@RestController
public class BikeAvailabilityController {

    public record Bike(long id, String model, int boxLitres, boolean electric, List<String> accessories) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final LoadingCache<Long, List<Bike>> availableByDepot;

    public BikeAvailabilityController(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.availableByDepot = Caffeine.newBuilder()
                .maximumSize(200)                       // ~40 depots today
                .expireAfterWrite(Duration.ofSeconds(20))
                .build(this::loadAvailable);
    }

    @GetMapping("/api/depots/{depotId}/bikes")
    public List<Bike> available(@PathVariable long depotId) {
        return availableByDepot.get(depotId);
    }

    private List<Bike> loadAvailable(long depotId) {
        List<Map<String, Object>> bikes = jdbc.queryForList(
                "SELECT id, model, box_litres, electric FROM bikes "
                        + "WHERE depot_id = :depot AND status = 'AVAILABLE' ORDER BY model, id LIMIT 100",
                new MapSqlParameterSource("depot", depotId));
        if (bikes.isEmpty()) {
            return List.of();
        }

        // accessories (rain cover, child seat, pallet straps) for all listed bikes in one query
        List<Long> ids = bikes.stream().map(b -> ((Number) b.get("id")).longValue()).toList();
        Map<Long, List<String>> accessories = jdbc.queryForList(
                        "SELECT bike_id, name FROM bike_accessories WHERE bike_id IN (:ids) ORDER BY name",
                        new MapSqlParameterSource("ids", ids))
                .stream()
                .collect(Collectors.groupingBy(r -> ((Number) r.get("bike_id")).longValue(),
                        Collectors.mapping(r -> (String) r.get("name"), Collectors.toList())));

        return bikes.stream()
                .map(b -> {
                    long id = ((Number) b.get("id")).longValue();
                    return new Bike(id, (String) b.get("model"), ((Number) b.get("box_litres")).intValue(),
                            (Boolean) b.get("electric"), accessories.getOrDefault(id, List.of()));
                })
                .toList();
    }
}
