package gg.brawlbox.tools;

import java.sql.*;
import java.util.*;

/**
 * End-of-season payout tool. Ops runs it once per season from the bastion:
 *
 *   java -jar season-payout.jar --season 42 --dry-run
 *
 * Single process, single run. Reads every ranked match result for the season, computes each
 * player's final rating bracket and writes one reward row per player. Re-running is safe:
 * season_rewards has PRIMARY KEY (season_id, player_id).
 */
public class SeasonPayoutCli {

    private static final int PAGE = 5_000;
    private static final int[][] BRACKETS = { {2400, 5000}, {2000, 2500}, {1600, 1200}, {1200, 600}, {0, 150} };

    public static void main(String[] args) throws Exception {
        int season = Integer.parseInt(argValue(args, "--season"));
        boolean dryRun = Arrays.asList(args).contains("--dry-run");

        try (Connection db = DriverManager.getConnection(System.getenv("GAME_DB_URL"))) {
            db.setAutoCommit(false);

            // player -> final rating; a few hundred thousand entries, lives for the duration of the run
            Map<Long, Integer> finalRating = new HashMap<>();
            long lastMatchId = 0;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT id, player_id, rating_after FROM ranked_results WHERE season_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                while (true) {
                    ps.setInt(1, season);
                    ps.setLong(2, lastMatchId);
                    ps.setInt(3, PAGE);
                    int n = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            finalRating.put(rs.getLong(2), rs.getInt(3)); // ordered by id, so last one wins
                            lastMatchId = rs.getLong(1);
                            n++;
                        }
                    }
                    if (n < PAGE) break;
                }
            }
            System.out.printf("season %d: %d ranked players%n", season, finalRating.size());

            Map<Integer, Integer> perBracket = new TreeMap<>();
            try (PreparedStatement ins = db.prepareStatement("""
                    INSERT INTO season_rewards (season_id, player_id, final_rating, gems)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (season_id, player_id) DO NOTHING
                    """)) {
                int batched = 0;
                for (Map.Entry<Long, Integer> e : finalRating.entrySet()) {
                    int gems = gemsFor(e.getValue());
                    perBracket.merge(gems, 1, Integer::sum);
                    ins.setInt(1, season);
                    ins.setLong(2, e.getKey());
                    ins.setInt(3, e.getValue());
                    ins.setInt(4, gems);
                    ins.addBatch();
                    if (++batched % 1000 == 0) ins.executeBatch();
                }
                ins.executeBatch();
            }
            perBracket.forEach((gems, count) -> System.out.printf("  %5d gems: %d players%n", gems, count));

            if (dryRun) {
                db.rollback();
                System.out.println("dry run, rolled back");
            } else {
                db.commit();
                System.out.println("committed");
            }
        }
    }

    private static int gemsFor(int rating) {
        for (int[] b : BRACKETS) {
            if (rating >= b[0]) return b[1];
        }
        return 0;
    }

    private static String argValue(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        throw new IllegalArgumentException("missing " + name);
    }
}
