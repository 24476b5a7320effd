package org.helpinghands.scheduler.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

// old reporting endpoints, ported from the servlet app in 2019
// TODO move to the DataSource bean like the rest of the app
@RestController
public class VolunteerHoursController {

    @Value("${spring.datasource.url}") String url;
    @Value("${spring.datasource.username}") String user;
    @Value("${spring.datasource.password}") String pass;

    // orgId|from|to -> rows
    private static final Map<String, List<HoursRow>> REPORT_CACHE = new HashMap<>();

    private Connection open() throws SQLException {
        return DriverManager.getConnection(url, user, pass);
    }

    @GetMapping("/orgs/{orgId}/hours")
    public List<HoursRow> hours(@PathVariable long orgId, @RequestParam String from, @RequestParam String to) throws SQLException {
        String key = orgId + "|" + from + "|" + to;
        if (REPORT_CACHE.containsKey(key)) {
            return REPORT_CACHE.get(key);
        }
        List<HoursRow> rows = new ArrayList<>();
        try (Connection c = open();
             PreparedStatement ps = c.prepareStatement(
                 "select v.id, v.full_name, sum(extract(epoch from (s.ends_at - s.starts_at)) / 3600) hrs " +
                 "from shift_signups ss join shifts s on s.id = ss.shift_id join volunteers v on v.id = ss.volunteer_id " +
                 "where s.org_id = ? and s.starts_at >= ?::date and s.starts_at < ?::date and ss.checked_in " +
                 "group by v.id, v.full_name order by v.full_name")) {
            ps.setLong(1, orgId);
            ps.setString(2, from);
            ps.setString(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new HoursRow(rs.getLong(1), rs.getString(2), rs.getDouble(3)));
            }
        }
        REPORT_CACHE.put(key, rows);
        return rows;
    }

    // shown on the public landing page of every org ("Top volunteers this year")
    @GetMapping("/orgs/{orgId}/leaderboard")
    public List<HoursRow> leaderboard(@PathVariable long orgId) throws SQLException {
        List<HoursRow> rows = new ArrayList<>();
        try (Connection c = open();
             PreparedStatement ps = c.prepareStatement(
                 "select v.id, v.full_name, sum(extract(epoch from (s.ends_at - s.starts_at)) / 3600) hrs " +
                 "from shift_signups ss join shifts s on s.id = ss.shift_id join volunteers v on v.id = ss.volunteer_id " +
                 "where s.org_id = ? and ss.checked_in and s.starts_at >= date_trunc('year', now()) " +
                 "group by v.id, v.full_name order by hrs desc limit 10")) {
            ps.setLong(1, orgId);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) rows.add(new HoursRow(rs.getLong(1), rs.getString(2), rs.getDouble(3)));
        }
        return rows;
    }

    public record HoursRow(long volunteerId, String name, double hours) {}
}
