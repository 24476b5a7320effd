package hr.payroll.batch;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Monthly payroll calculation. Run once per month by the payroll officer:
 *
 *   java -cp payroll-batch.jar hr.payroll.batch.MonthlyRunCli 2024-05
 *
 * Single process, single run; keyset-paginated over employees, 500 at a time.
 */
public final class MonthlyRunCli {

    private static final int PAGE = 500;

    // cost centre id -> GL account; ~120 rows, filled lazily for the duration of this run
    private static final Map<Integer, String> glAccounts = new HashMap<>();

    public static void main(String[] args) throws Exception {
        YearMonth period = YearMonth.parse(args[0]);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(System.getenv("PAYROLL_DB_URL"));
        cfg.setMaximumPoolSize(2);
        try (HikariDataSource ds = new HikariDataSource(cfg); Connection con = ds.getConnection()) {
            con.setAutoCommit(false);
            long runId = openRun(con, period);
            long lastId = 0;
            int total = 0;
            while (true) {
                List<long[]> page = employeesAfter(con, lastId);     // {id, cost_centre, monthly_salary_cents}
                if (page.isEmpty()) break;
                Map<Long, Integer> overtime = overtimeMinutes(con, page, period); // one query per page
                try (PreparedStatement ins = con.prepareStatement("""
                        INSERT INTO payroll_lines (run_id, employee_id, gl_account, gross_cents)
                        VALUES (?, ?, ?, ?) ON CONFLICT (run_id, employee_id) DO NOTHING""")) {
                    for (long[] e : page) {
                        long gross = e[2] + overtime.getOrDefault(e[0], 0) * e[2] / 9_600;
                        ins.setLong(1, runId); ins.setLong(2, e[0]);
                        ins.setString(3, glAccount(con, (int) e[1])); ins.setLong(4, gross);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
                con.commit();
                lastId = page.get(page.size() - 1)[0];
                total += page.size();
                System.out.printf("processed %d employees%n", total);
            }
        }
    }

    static List<long[]> employeesAfter(Connection con, long lastId) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(
                "SELECT id, cost_centre_id, monthly_salary_cents FROM employees WHERE active AND id > ? ORDER BY id LIMIT " + PAGE)) {
            ps.setLong(1, lastId);
            List<long[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)});
            }
            return rows;
        }
    }

    static Map<Long, Integer> overtimeMinutes(Connection con, List<long[]> page, YearMonth p) throws SQLException {
        Array ids = con.createArrayOf("bigint", page.stream().map(e -> e[0]).toArray());
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT employee_id, SUM(overtime_minutes) FROM timesheets
                WHERE employee_id = ANY(?) AND work_date >= ? AND work_date < ? GROUP BY employee_id""")) {
            ps.setArray(1, ids);
            ps.setObject(2, p.atDay(1)); ps.setObject(3, p.plusMonths(1).atDay(1));
            Map<Long, Integer> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), rs.getInt(2));
            }
            return out;
        }
    }

    static String glAccount(Connection con, int costCentre) {
        return glAccounts.computeIfAbsent(costCentre, cc -> {
            try (PreparedStatement ps = con.prepareStatement("SELECT gl_account FROM cost_centres WHERE id = ?")) {
                ps.setInt(1, cc);
                try (ResultSet rs = ps.executeQuery()) { rs.next(); return rs.getString(1); }
            } catch (SQLException e) { throw new IllegalStateException("cost centre " + cc, e); }
        });
    }

    static long openRun(Connection con, YearMonth p) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(
                "INSERT INTO payroll_runs (period) VALUES (?) ON CONFLICT (period) DO UPDATE SET period = EXCLUDED.period RETURNING id")) {
            ps.setString(1, p.toString());
            try (ResultSet rs = ps.executeQuery()) { rs.next(); return rs.getLong(1); }
        }
    }
}
