package edu.timetabler.cli;

import java.sql.*;
import java.util.*;

/**
 * Nightly timetable builder for one school.
 *
 *   java -jar timetabler.jar --school 42 --term 2024-T3
 *
 * Runs as a single process from cron on the admin box; reads the lesson requirements,
 * places them into periods greedily and writes the draft timetable back.
 */
public class TimetableBuilder {

    private static final int PAGE = 500;

    // reference data, loaded once at start-up; a school has ~100 rooms and ~150 teachers
    private final Map<Long, Room> rooms = new HashMap<>();
    private final Map<Long, Teacher> teachers = new HashMap<>();

    // (teacherId, period) and (roomId, period) already taken in this run
    private final Set<String> taken = new HashSet<>();

    private final Connection db;
    private final long schoolId;
    private final String term;

    TimetableBuilder(Connection db, long schoolId, String term) {
        this.db = db;
        this.schoolId = schoolId;
        this.term = term;
    }

    public static void main(String[] args) throws Exception {
        long school = Long.parseLong(args[1]);
        String term = args[3];
        try (Connection c = DriverManager.getConnection(System.getenv("TIMETABLE_DB_URL"))) {
            c.setAutoCommit(false);
            new TimetableBuilder(c, school, term).run();
            c.commit();
        }
    }

    void run() throws SQLException {
        loadReferenceData();
        long lastId = 0;
        int placed = 0, unplaced = 0;
        while (true) {
            List<Lesson> page = nextLessons(lastId);
            if (page.isEmpty()) break;
            Map<Long, List<Long>> allowedRooms = allowedRoomsFor(page);   // one query per page
            List<Placement> out = new ArrayList<>();
            for (Lesson l : page) {
                Placement p = place(l, allowedRooms.getOrDefault(l.id(), List.of()));
                if (p == null) unplaced++; else { out.add(p); placed++; }
            }
            save(out);
            lastId = page.get(page.size() - 1).id();
        }
        System.out.printf("placed=%d unplaced=%d%n", placed, unplaced);
    }

    private void loadReferenceData() throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT id, capacity, is_lab FROM rooms WHERE school_id = ?")) {
            ps.setLong(1, schoolId);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) rooms.put(rs.getLong(1), new Room(rs.getLong(1), rs.getInt(2), rs.getBoolean(3)));
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT id, max_periods FROM teachers WHERE school_id = ?")) {
            ps.setLong(1, schoolId);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) teachers.put(rs.getLong(1), new Teacher(rs.getLong(1), rs.getInt(2)));
        }
    }

    private List<Lesson> nextLessons(long afterId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT id, teacher_id, class_size, needs_lab FROM lesson_requirements " +
                "WHERE school_id = ? AND term = ? AND id > ? ORDER BY id LIMIT " + PAGE)) {
            ps.setLong(1, schoolId);
            ps.setString(2, term);
            ps.setLong(3, afterId);
            ResultSet rs = ps.executeQuery();
            List<Lesson> out = new ArrayList<>();
            while (rs.next()) out.add(new Lesson(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getBoolean(4)));
            return out;
        }
    }

    private Map<Long, List<Long>> allowedRoomsFor(List<Lesson> page) throws SQLException {
        Long[] ids = page.stream().map(Lesson::id).toArray(Long[]::new);
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT lesson_id, room_id FROM lesson_allowed_rooms WHERE lesson_id = ANY(?)")) {
            ps.setArray(1, db.createArrayOf("bigint", ids));
            ResultSet rs = ps.executeQuery();
            Map<Long, List<Long>> out = new HashMap<>();
            while (rs.next()) out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
            return out;
        }
    }

    private Placement place(Lesson l, List<Long> allowed) {
        for (int period = 0; period < 40; period++) {
            if (taken.contains("t" + l.teacherId() + ":" + period)) continue;
            for (long roomId : allowed) {
                Room r = rooms.get(roomId);
                if (r == null || r.capacity() < l.classSize() || (l.needsLab() && !r.isLab())) continue;
                if (taken.add("r" + roomId + ":" + period)) {
                    taken.add("t" + l.teacherId() + ":" + period);
                    return new Placement(l.id(), roomId, period);
                }
            }
        }
        return null;
    }

    private void save(List<Placement> placements) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO timetable_draft (school_id, term, lesson_id, room_id, period) VALUES (?, ?, ?, ?, ?)")) {
            for (Placement p : placements) {
                ps.setLong(1, schoolId); ps.setString(2, term);
                ps.setLong(3, p.lessonId()); ps.setLong(4, p.roomId()); ps.setInt(5, p.period());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    record Room(long id, int capacity, boolean isLab) {}
    record Teacher(long id, int maxPeriods) {}
    record Lesson(long id, long teacherId, int classSize, boolean needsLab) {}
    record Placement(long lessonId, long roomId, int period) {}
}
