package uk.org.beekeepers.swarms.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import uk.org.beekeepers.swarms.domain.Collector;
import uk.org.beekeepers.swarms.domain.CollectorRepository;
import uk.org.beekeepers.swarms.domain.GeoPoint;
import uk.org.beekeepers.swarms.domain.SwarmReport;
import uk.org.beekeepers.swarms.domain.SwarmReportRepository;
import uk.org.beekeepers.swarms.domain.SwarmStatus;
import uk.org.beekeepers.swarms.notify.SmsGateway;
import uk.org.beekeepers.swarms.web.SwarmAssignmentView;

/**
 * Swarm collection workflow for the county beekeeping association.
 * Members of the public report a swarm (postcode + photo), the branch swarm
 * coordinator assigns a collector, and the collector gets a text message.
 */
@Service
public class SwarmCollectionService {

    // Postcode centroids never change, so keep them once looked up.
    private static final Map<String, GeoPoint> POSTCODE_CENTROIDS = new ConcurrentHashMap<>();

    private final SwarmReportRepository reports;
    private final CollectorRepository collectors;
    private final SmsGateway sms;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    public SwarmCollectionService(SwarmReportRepository reports, CollectorRepository collectors,
                                  SmsGateway sms, ObjectMapper json) {
        this.reports = reports;
        this.collectors = collectors;
        this.sms = sms;
        this.json = json;
    }

    /** Coordinator dashboard: the 50 most recent open reports for a branch. */
    @Transactional(readOnly = true)
    public List<SwarmAssignmentView> openAssignments(long branchId) {
        List<SwarmReport> open = reports.findByBranchIdAndStatusOrderByReportedAtDesc(
                branchId, SwarmStatus.OPEN, PageRequest.of(0, 50));

        List<SwarmAssignmentView> views = new ArrayList<>(open.size());
        for (SwarmReport report : open) {
            String collectorName = null;
            if (report.getCollectorId() != null) {
                collectorName = collectors.findById(report.getCollectorId())
                        .map(Collector::getDisplayName)
                        .orElse("(removed)");
            }
            views.add(new SwarmAssignmentView(report.getId(), report.getPostcode(),
                    report.getClusterSize(), report.getReportedAt(), collectorName));
        }
        return views;
    }

    @Transactional
    public void assign(long reportId, long collectorId) {
        SwarmReport report = reports.findById(reportId).orElseThrow();
        Collector collector = collectors.findById(collectorId).orElseThrow();
        report.setCollectorId(collectorId);
        report.setStatus(SwarmStatus.ASSIGNED);

        try {
            sms.send(collector.getMobile(), "Swarm reported near " + report.getPostcode()
                    + " (" + report.getClusterSize() + "). Reply YES to accept.");
            report.setNotifiedAt(Instant.now());
        } catch (Exception e) {
            // coordinators can always ring the collector directly
        }
        reports.save(report);
    }

    public GeoPoint locate(String postcode) {
        String key = postcode.replace(" ", "").toUpperCase(Locale.UK);
        return POSTCODE_CENTROIDS.computeIfAbsent(key, this::fetchCentroid);
    }

    private GeoPoint fetchCentroid(String postcode) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.postcodes.io/postcodes/" + postcode))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode result = json.readTree(response.body()).path("result");
            return new GeoPoint(result.path("latitude").asDouble(), result.path("longitude").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException("postcode lookup failed for " + postcode, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during postcode lookup", e);
        }
    }
}
