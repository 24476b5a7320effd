package com.example.imports;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.multipart.MultipartFile;

@RestController
public class ImportController {

    private final JdbcTemplate jdbc;
    private final GeocodingClient geocoder;

    public ImportController(JdbcTemplate jdbc, GeocodingClient geocoder) {
        this.jdbc = jdbc;
        this.geocoder = geocoder;
    }

    @PostMapping("/imports/stores")
    public ResponseEntity<String> importStores(@RequestParam("file") MultipartFile file) throws Exception {
        int count = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] cols = line.split(",");
                GeocodingClient.Point p = geocoder.geocode(cols[1] + ", " + cols[2]);
                jdbc.update("INSERT INTO stores (name, address, city, lat, lon) VALUES (?, ?, ?, ?, ?)",
                        cols[0], cols[1], cols[2], p.lat(), p.lon());
                count++;
            }
        }
        return ResponseEntity.ok("imported " + count);
    }
}
