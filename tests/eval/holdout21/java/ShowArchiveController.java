package fm.harbourside.schedule.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

/**
 * Community radio schedule: presenters press "Publish week" to turn the week's recorded
 * segments into one podcast file per show and push it to the archive host.
 *
 * radio-portal runs 2 replicas behind the station's nginx (see ops/compose.prod.yml).
 */
@RestController
@RequestMapping("/api/shows")
public class ShowArchiveController {

    private final JdbcTemplate jdbc;
    private final RestTemplate archiveClient = new RestTemplate();
    private final Set<Long> publishing = ConcurrentHashMap.newKeySet();
    private final Path workDir = Path.of("/var/lib/radio-portal/render");

    public ShowArchiveController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Segment(long id, String filePath, int durationSeconds) {}

    @PostMapping("/{showId}/weeks/{weekStart}/publish")
    public ResponseEntity<String> publishWeek(@PathVariable long showId, @PathVariable LocalDate weekStart)
            throws IOException, InterruptedException {
        if (!publishing.add(showId)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body("this show is already being published");
        }
        try {
            List<Segment> segments = jdbc.query(
                    "SELECT id, file_path, duration_seconds FROM show_segments "
                            + "WHERE show_id = ? AND aired_at >= ? AND aired_at < ? ORDER BY aired_at",
                    (rs, i) -> new Segment(rs.getLong(1), rs.getString(2), rs.getInt(3)),
                    showId, weekStart, weekStart.plusDays(7));

            Path outDir = Files.createDirectories(workDir.resolve(showId + "-" + weekStart));
            // loudness-normalise and encode each recorded hour; ffmpeg takes ~20 s per hour of audio
            for (Segment segment : segments) {
                Process ffmpeg = new ProcessBuilder("ffmpeg", "-y", "-i", segment.filePath(),
                        "-af", "loudnorm=I=-16:TP=-1.5", "-b:a", "128k",
                        outDir.resolve(segment.id() + ".mp3").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(new File(outDir.toFile(), segment.id() + ".log"))
                        .start();
                if (ffmpeg.waitFor() != 0) {
                    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                            .body("encoding failed for segment " + segment.id());
                }
            }

            Path episode = concatenate(outDir, segments);
            LinkedMultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
            form.add("show_id", showId);
            form.add("week", weekStart.toString());
            form.add("file", new FileSystemResource(episode));
            HttpHeaders headers = new HttpHeaders();
            headers.setContentType(MediaType.MULTIPART_FORM_DATA);
            String url = archiveClient.postForObject("https://archive.harbourside.fm/api/episodes",
                    new HttpEntity<>(form, headers), String.class);

            jdbc.update("INSERT INTO published_episodes (show_id, week_start, archive_url) VALUES (?, ?, ?)",
                    showId, weekStart, url);
            return ResponseEntity.ok(url);
        } finally {
            publishing.remove(showId);
        }
    }

    private Path concatenate(Path dir, List<Segment> segments) throws IOException, InterruptedException {
        Path list = dir.resolve("concat.txt");
        Files.write(list, segments.stream().map(s -> "file '" + s.id() + ".mp3'").toList());
        Path episode = dir.resolve("episode.mp3");
        new ProcessBuilder("ffmpeg", "-y", "-f", "concat", "-safe", "0", "-i", list.toString(),
                "-c", "copy", episode.toString()).inheritIO().start().waitFor();
        return episode;
    }
}
