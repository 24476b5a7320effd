package net.trackfleet.tools;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.*;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.*;

/**
 * Nightly CLI: per-vehicle mileage and idle time for one fleet and one day, written as CSV.
 * Runs from cron on the reporting box, one process per fleet:
 *   java -cp tools.jar net.trackfleet.tools.DailyMileageReport <fleetId> <yyyy-mm-dd> <out.csv>
 */
public final class DailyMileageReport {

    private static final int PAGE_SIZE = 500;

    public static void main(String[] args) throws Exception {
        long fleetId = Long.parseLong(args[0]);
        LocalDate day = LocalDate.parse(args[1]);
        Path out = Path.of(args[2]);

        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(System.getenv("TELEMATICS_DB_URL"));
        cfg.setMaximumPoolSize(2);
        cfg.setReadOnly(true);

        try (HikariDataSource ds = new HikariDataSource(cfg); Connection conn = ds.getConnection()) {
            String fleetName = fleetName(conn, fleetId);
            Map<Integer, String> modelNames = loadDeviceModels(conn); // ~40 rows, global catalog
            Map<Long, double[]> totals = new HashMap<>();             // vehicleId -> {km, idleMin}
            Map<Long, String[]> vehicles = new LinkedHashMap<>();      // vehicleId -> {plate, model}

            long lastId = 0;
            while (true) {
                List<Long> page = nextVehiclePage(conn, fleetId, lastId, vehicles, modelNames);
                if (page.isEmpty()) break;
                accumulateTrips(conn, fleetId, page, day, totals); // one query per page of 500 vehicles
                lastId = page.get(page.size() - 1);
            }

            try (BufferedWriter w = Files.newBufferedWriter(out)) {
                w.write("# " + fleetName + " " + day + "\nvehicle_id,plate,model,km,idle_minutes\n");
                for (var e : vehicles.entrySet()) {
                    double[] t = totals.getOrDefault(e.getKey(), new double[2]);
                    w.write(String.format(Locale.ROOT, "%d,%s,%s,%.1f,%.0f%n",
                            e.getKey(), e.getValue()[0], e.getValue()[1], t[0], t[1]));
                }
            }
        } catch (SQLException e) {
            System.err.println("mileage report failed for fleet " + fleetId + ": " + e.getMessage());
            throw e;
        }
    }

    private static String fleetName(Connection c, long fleetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM fleets WHERE id = ?")) {
            ps.setLong(1, fleetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("no fleet " + fleetId);
                return rs.getString(1);
            }
        }
    }

    private static Map<Integer, String> loadDeviceModels(Connection c) throws SQLException {
        Map<Integer, String> m = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, name FROM device_models")) {
            while (rs.next()) m.put(rs.getInt(1), rs.getString(2));
        }
        return m;
    }

    private static List<Long> nextVehiclePage(Connection c, long fleetId, long afterId,
                                              Map<Long, String[]> vehicles, Map<Integer, String> models) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, plate, device_model_id FROM vehicles WHERE fleet_id = ? AND id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, fleetId);
            ps.setLong(2, afterId);
            ps.setInt(3, PAGE_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    ids.add(id);
                    vehicles.put(id, new String[] {rs.getString(2), models.getOrDefault(rs.getInt(3), "?")});
                }
            }
        }
        return ids;
    }

    private static void accumulateTrips(Connection c, long fleetId, List<Long> vehicleIds, LocalDate day,
                                        Map<Long, double[]> totals) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT vehicle_id, sum(distance_m) / 1000.0, sum(idle_s) / 60.0
                FROM trips
                WHERE fleet_id = ? AND vehicle_id = ANY (?) AND started_at >= ? AND started_at < ?
                GROUP BY vehicle_id
                """)) {
            ps.setLong(1, fleetId);
            ps.setArray(2, c.createArrayOf("bigint", vehicleIds.toArray()));
            ps.setTimestamp(3, Timestamp.from(day.atStartOfDay().toInstant(ZoneOffset.UTC)));
            ps.setTimestamp(4, Timestamp.from(day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) totals.put(rs.getLong(1), new double[] {rs.getDouble(2), rs.getDouble(3)});
            }
        }
    }
}
