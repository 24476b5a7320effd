package org.prickleshelter.hospital.sync;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every five minutes, pushes newly admitted hedgehogs to the county wildlife
 * register, together with their weight readings (the register tracks weight gain
 * for overwintering decisions).
 */
@Component
public class AdmissionRegisterSync {

    private static final Logger log = LoggerFactory.getLogger(AdmissionRegisterSync.class);

    record Admission(long id, String patientName, LocalDate admittedOn, String foundPostcode, String condition) {}
    record Weight(LocalDate weighedOn, int grams) {}
    record RegisterEntry(Admission admission, List<Weight> weights) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String registerUrl;
    private final String apiKey;

    public AdmissionRegisterSync(JdbcTemplate jdbc, ObjectMapper json,
                                 @Value("${register.url}") String registerUrl,
                                 @Value("${register.api-key}") String apiKey) {
        this.jdbc = jdbc;
        this.json = json;
        this.registerUrl = registerUrl;
        this.apiKey = apiKey;
    }

    @Scheduled(fixedDelay = 300_000, initialDelay = 60_000)
    public void pushNewAdmissions() throws IOException, InterruptedException {
        List<Admission> pending = jdbc.query(
            "SELECT id, patient_name, admitted_on, found_postcode, condition FROM admissions " +
            "WHERE register_synced_at IS NULL ORDER BY id LIMIT 100",
            (rs, i) -> new Admission(rs.getLong("id"), rs.getString("patient_name"),
                rs.getObject("admitted_on", LocalDate.class), rs.getString("found_postcode"),
                rs.getString("condition")));
        if (pending.isEmpty()) {
            return;
        }

        List<RegisterEntry> batch = new ArrayList<>();
        for (Admission a : pending) {
            List<Weight> weights = jdbc.query(
                "SELECT weighed_on, grams FROM weight_readings WHERE admission_id = ? ORDER BY weighed_on",
                (rs, i) -> new Weight(rs.getObject("weighed_on", LocalDate.class), rs.getInt("grams")),
                a.id());
            batch.add(new RegisterEntry(a, weights));
        }

        HttpRequest request = HttpRequest.newBuilder(URI.create(registerUrl + "/api/admissions/batch"))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(batch)))
            .build();

        HttpResponse<String> response = null;
        for (int attempt = 1; attempt <= 4; attempt++) {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 500) {
                break;
            }
            log.warn("register returned {} (attempt {})", response.statusCode(), attempt);
            Thread.sleep(2_000);
        }
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("register sync failed: " + response.statusCode() + " " + response.body());
        }

        Long[] ids = pending.stream().map(Admission::id).toArray(Long[]::new);
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE admissions SET register_synced_at = now() WHERE id = ANY(?)");
            Array arr = con.createArrayOf("bigint", ids);
            ps.setArray(1, arr);
            return ps;
        });
        log.info("pushed {} admissions to the county register", ids.length);
    }
}
