// Sure! Here's a production-ready version of your endpoint. The main problem in your
// original code was that the HTTP calls to the MT engine had no timeouts, so a hung
// connection could block a request thread forever. This version:
//   - sets an explicit connect timeout on the client
//   - sets a per-request timeout on every call to the MT engine
//   - logs and surfaces MT errors instead of silently skipping segments
//
// (Our API gateway in front of this service cuts requests at 30 s.)

package com.lingua.agency.mt;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/documents")
public class MachineTranslationController {

    private static final Logger log = LoggerFactory.getLogger(MachineTranslationController.class);

    private final SegmentRepository segments;
    private final ObjectMapper mapper;

    @Value("${mt.endpoint}")
    private String mtEndpoint;

    @Value("${mt.api-key}")
    private String mtApiKey;

    public MachineTranslationController(SegmentRepository segments, ObjectMapper mapper) {
        this.segments = segments;
        this.mapper = mapper;
    }

    /**
     * Pre-translates every segment of a source document with the MT engine so the
     * human translator starts from a draft. Contracts are typically 200-5,000 segments.
     */
    @PostMapping("/{docId}/pretranslate")
    @Transactional
    public ResponseEntity<PretranslateResult> pretranslate(@PathVariable UUID docId,
                                                           @RequestParam String targetLang) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        List<Segment> source = segments.findByDocumentIdOrderByPosition(docId);
        int translated = 0;

        for (Segment segment : source) {
            String body = mapper.writeValueAsString(new MtRequest(segment.getSourceText(), targetLang));
            HttpRequest request = HttpRequest.newBuilder(URI.create(mtEndpoint + "/translate"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + mtApiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();

            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.error("MT engine returned {} for segment {}", response.statusCode(), segment.getId());
                throw new MtEngineException("MT failed on segment " + segment.getPosition());
            }
            JsonNode json = mapper.readTree(response.body());
            segment.setDraftText(json.path("translation").asText());
            segment.setDraftSource("MT");
            translated++;
        }

        segments.saveAll(source);
        return ResponseEntity.ok(new PretranslateResult(docId, translated));
    }

    record MtRequest(String text, String target) {}

    public record PretranslateResult(UUID documentId, int segmentsTranslated) {}
}
