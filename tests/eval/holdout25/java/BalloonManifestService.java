package com.skyward.balloons.manifest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Passenger manifests for hot-air balloon flights. A basket place is held
 * for 15 minutes while the passenger enters weight and emergency-contact
 * details; the pilot needs the total load before launch.
 * Operators (balloon companies) are tenants.
 */
@Service
public class BalloonManifestService {

    private static final Logger log = LoggerFactory.getLogger(BalloonManifestService.class);

    private final NamedParameterJdbcTemplate jdbc;

    public BalloonManifestService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Holds a place if the basket still has room; returns false when the flight is full. */
    @Transactional
    public boolean holdPlace(long operatorId, long flightId, long passengerId) {
        int updated = jdbc.update(
                "UPDATE flights SET places_left = places_left - 1 "
                        + "WHERE id = :flight AND operator_id = :op AND places_left > 0",
                new MapSqlParameterSource().addValue("flight", flightId).addValue("op", operatorId));
        if (updated == 0) {
            return false;
        }
        jdbc.update(
                "INSERT INTO basket_holds (operator_id, flight_id, passenger_id, expires_at) "
                        + "VALUES (:op, :flight, :pax, now() + interval '15 minutes')",
                new MapSqlParameterSource().addValue("op", operatorId)
                        .addValue("flight", flightId).addValue("pax", passengerId));
        return true;
    }

    /** Returns places from abandoned holds and removes the expired rows. */
    @Scheduled(fixedDelayString = "PT1M")
    @Transactional
    public void releaseExpiredHolds() {
        List<Map<String, Object>> released = jdbc.queryForList(
                "DELETE FROM basket_holds WHERE expires_at < now() AND confirmed = false "
                        + "RETURNING flight_id",
                Map.of());
        Map<Object, Long> perFlight = released.stream()
                .collect(Collectors.groupingBy(r -> r.get("flight_id"), Collectors.counting()));
        perFlight.forEach((flight, n) -> jdbc.update(
                "UPDATE flights SET places_left = places_left + :n WHERE id = :flight",
                new MapSqlParameterSource().addValue("n", n).addValue("flight", flight)));
        if (!released.isEmpty()) {
            log.info("released {} expired basket holds across {} flights", released.size(), perFlight.size());
        }
    }

    public record ManifestLine(long passengerId, String fullName, int weightKg, String emergencyContact) {}

    /** Manifest for a list of flights (the pilot's morning briefing), one query for all of them. */
    public Map<Long, List<ManifestLine>> manifests(long operatorId, List<Long> flightIds) {
        List<Long> ids = flightIds.stream().distinct().limit(20).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT h.flight_id, p.id, p.full_name, p.weight_kg, p.emergency_contact "
                        + "FROM basket_holds h JOIN passengers p ON p.id = h.passenger_id "
                        + "WHERE h.operator_id = :op AND h.flight_id IN (:ids) AND h.confirmed = true "
                        + "ORDER BY h.flight_id, p.full_name LIMIT 400",
                new MapSqlParameterSource().addValue("op", operatorId).addValue("ids", ids));
        return rows.stream().collect(Collectors.groupingBy(
                r -> ((Number) r.get("flight_id")).longValue(),
                Collectors.mapping(r -> new ManifestLine(
                        ((Number) r.get("id")).longValue(),
                        (String) r.get("full_name"),
                        ((Number) r.get("weight_kg")).intValue(),
                        (String) r.get("emergency_contact")), Collectors.toList())));
    }
}
