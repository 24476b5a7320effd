package com.example.media;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/albums/{albumId}")
public class ThumbnailController {

    private final PhotoRepository photos;
    private final ImageResizer resizer;
    private final JobQueue jobs;

    public ThumbnailController(PhotoRepository photos, ImageResizer resizer, JobQueue jobs) {
        this.photos = photos;
        this.resizer = resizer;
        this.jobs = jobs;
    }

    @PostMapping("/thumbnails")
    public ResponseEntity<String> regenerate(@PathVariable long albumId) throws Exception {
        List<Photo> all = photos.findByAlbumId(albumId);
        for (Photo photo : all) {
            ProcessBuilder pb = new ProcessBuilder("convert", photo.path(), "-resize", "400x400", photo.thumbPath());
            Process p = pb.start();
            p.waitFor();
        }
        return ResponseEntity.ok("done");
    }

    @PostMapping("/zip")
    public ResponseEntity<String> zip(@PathVariable long albumId) {
        String jobId = jobs.submit("zip-album", albumId);
        CompletableFuture.runAsync(() -> resizer.warmUp());
        return ResponseEntity.accepted().body(jobId);
    }
}
