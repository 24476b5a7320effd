package fm.kxlu.traffic.importer;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One-shot CLI: imports the automation system's weekly as-played log (CSV) into the
 * royalty reporting DB. Run by the music director on Mondays:
 *
 *   java -jar playlist-importer.jar /mnt/automation/asplayed-2024-W18.csv
 */
@SpringBootApplication
public class PlaylistLogImporter implements CommandLineRunner {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final JdbcTemplate jdbc;

    // artist name (lower-case) -> id; loaded once, lives only for this run
    private final Map<String, Long> artistIds = new HashMap<>();

    public PlaylistLogImporter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(PlaylistLogImporter.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        System.exit(SpringApplication.exit(app.run(args)));
    }

    @Override
    public void run(String... args) throws Exception {
        Path csv = Path.of(args[0]);
        jdbc.query("SELECT id, lower(name) AS name FROM artists",
                rs -> { artistIds.put(rs.getString("name"), rs.getLong("id")); });

        List<Object[]> plays = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            in.readLine(); // header: aired_at,artist,title,duration_s,cart
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",", -1);
                long artistId = artistIds.computeIfAbsent(f[1].trim().toLowerCase(), this::insertArtist);
                plays.add(new Object[]{Timestamp.valueOf(LocalDateTime.parse(f[0], TS)), artistId, f[2].trim(),
                        Integer.parseInt(f[3]), f[4].trim()});
            }
        }

        int[][] counts = jdbc.batchUpdate(
                "INSERT INTO plays (aired_at, artist_id, title, duration_s, cart_no) VALUES (?, ?, ?, ?, ?) " +
                "ON CONFLICT (aired_at, cart_no) DO NOTHING",
                plays, 1000, (ps, row) -> {
                    for (int i = 0; i < row.length; i++) ps.setObject(i + 1, row[i]);
                });
        int inserted = 0;
        for (int[] batch : counts) for (int c : batch) inserted += Math.max(c, 0);
        System.out.printf("%s: %d plays read, %d new%n", csv.getFileName(), plays.size(), inserted);
    }

    private Long insertArtist(String name) {
        return jdbc.queryForObject("INSERT INTO artists (name) VALUES (?) RETURNING id", Long.class, name);
    }
}
