package io.voltgrid.fleet.web;

import io.voltgrid.fleet.security.TenantContext;
import io.voltgrid.fleet.web.dto.AlertDto;
import io.voltgrid.fleet.web.dto.DeviceDto;
import io.voltgrid.fleet.web.dto.FleetSummaryDto;
import io.voltgrid.fleet.web.dto.Page;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Endpoints behind the fleet operations dashboard. The dashboard polls
 * /summary every 15 seconds for every operator that has it open.
 */
@RestController
@RequestMapping("/api/fleet")
public class FleetDashboardController {

    private static final int MAX_PAGE_SIZE = 200;

    private final NamedParameterJdbcTemplate jdbc;
    private final TenantContext tenant;

    public FleetDashboardController(NamedParameterJdbcTemplate jdbc, TenantContext tenant) {
        this.jdbc = jdbc;
        this.tenant = tenant;
    }

    @GetMapping("/devices")
    public Page<DeviceDto> devices(@RequestParam(defaultValue = "0") long afterId,
                                   @RequestParam(defaultValue = "50") int size) {
        int limit = Math.min(size, MAX_PAGE_SIZE);
        List<DeviceDto> items = jdbc.query("""
                SELECT id, serial, model, firmware, last_seen_at
                  FROM devices
                 WHERE account_id = :account AND id > :after
                 ORDER BY id
                 LIMIT :limit
                """,
                new MapSqlParameterSource()
                        .addValue("account", tenant.accountId())
                        .addValue("after", afterId)
                        .addValue("limit", limit),
                new DataClassRowMapper<>(DeviceDto.class));
        return Page.of(items, limit);
    }

    @GetMapping("/summary")
    public FleetSummaryDto summary() {
        // telemetry_readings: one row per device per 10 s, kept for 13 months
        return jdbc.queryForObject("""
                SELECT COUNT(DISTINCT d.id)                                         AS devices,
                       COUNT(DISTINCT d.id) FILTER (WHERE d.last_seen_at > now() - interval '5 minutes') AS online,
                       AVG(t.battery_pct)                                           AS avg_battery,
                       SUM(t.energy_wh) / 1000.0                                    AS energy_kwh_30d,
                       PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY t.temp_c)       AS p95_temp
                  FROM devices d
                  JOIN telemetry_readings t ON t.device_id = d.id AND t.account_id = d.account_id
                 WHERE d.account_id = :account
                   AND t.recorded_at > now() - interval '30 days'
                """,
                new MapSqlParameterSource("account", tenant.accountId()),
                new DataClassRowMapper<>(FleetSummaryDto.class));
    }

    @GetMapping("/devices/{deviceId}/alerts")
    public List<AlertDto> alerts(@PathVariable long deviceId) {
        return jdbc.query("""
                SELECT id, device_id, severity, code, message, raised_at, cleared_at
                  FROM device_alerts
                 WHERE account_id = :account AND device_id = :device
                 ORDER BY raised_at DESC
                """,
                new MapSqlParameterSource()
                        .addValue("account", tenant.accountId())
                        .addValue("device", deviceId),
                new DataClassRowMapper<>(AlertDto.class));
    }
}
