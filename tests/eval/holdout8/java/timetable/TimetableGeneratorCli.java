package edu.bellgrid.timetable.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Offline timetable generator, run by the school admin once per term:
 *
 *   java -jar timetable-cli.jar data/spring-2025/ out/spring-2025.csv
 *
 * Reads teachers/rooms/courses CSVs, runs N randomized greedy+local-search attempts in parallel
 * and writes the best schedule. Single process, no server, exits when done.
 */
public final class TimetableGeneratorCli {

    // filled once from rooms.csv / teachers.csv, read-only afterwards
    private static final Map<String, Room> ROOMS = new HashMap<>();
    private static final Map<String, Teacher> TEACHERS = new HashMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: timetable-cli <input-dir> <output.csv> [attempts]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        int attempts = args.length > 2 ? Integer.parseInt(args[2]) : 64;

        loadRooms(in.resolve("rooms.csv"));
        loadTeachers(in.resolve("teachers.csv"));
        List<Course> courses = Course.readAll(in.resolve("courses.csv"), ROOMS, TEACHERS);

        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        List<Future<Schedule>> runs = new ArrayList<>();
        for (int seed = 0; seed < attempts; seed++) {
            final long s = seed;
            runs.add(pool.submit(() -> new LocalSearchSolver(courses, ROOMS.values(), s).solve(20_000)));
        }

        List<Schedule> results = new ArrayList<>();
        for (Future<Schedule> f : runs) {
            results.add(f.get());
        }
        pool.shutdown();

        Schedule best = results.stream().min(Comparator.comparingInt(Schedule::penalty)).orElseThrow();
        best.writeCsv(Path.of(args[1]));
        System.out.printf("best penalty %d after %d attempts (%d hard violations)%n",
                best.penalty(), attempts, best.hardViolations());
    }

    private static void loadRooms(Path csv) throws IOException {
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            ROOMS.put(f[0], new Room(f[0], Integer.parseInt(f[1]), f.length > 2 && "lab".equals(f[2])));
        }
    }

    private static void loadTeachers(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            TEACHERS.put(f[0], new Teacher(f[0], f[1], Integer.parseInt(f[2])));
        }
    }

    record Room(String code, int capacity, boolean lab) {}

    record Teacher(String id, String name, int maxPeriodsPerWeek) {}
}
