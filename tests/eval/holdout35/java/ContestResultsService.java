package uk.bandcontests.results;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.domain.Sort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import uk.bandcontests.entries.Adjudication;
import uk.bandcontests.entries.AdjudicationRepository;
import uk.bandcontests.entries.ContestEntry;
import uk.bandcontests.entries.ContestEntryRepository;

/**
 * Live results board for the brass band contest. The board page polls
 * /api/contests/{id}/results every 15 seconds while the adjudicators' marks come in.
 */
@Service
public class ContestResultsService {

    private static final Duration RESULTS_TTL = Duration.ofSeconds(30);
    private static final TypeReference<List<ResultRow>> RESULT_LIST = new TypeReference<>() {};

    private final ContestEntryRepository entries;
    private final AdjudicationRepository adjudications;
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public ContestResultsService(ContestEntryRepository entries, AdjudicationRepository adjudications,
                                 StringRedisTemplate redis, ObjectMapper json) {
        this.entries = entries;
        this.adjudications = adjudications;
        this.redis = redis;
        this.json = json;
    }

    public record ResultRow(String bandName, int drawPosition, int totalPoints, int adjudicatorsReported) {}

    @Transactional(readOnly = true)
    public List<ResultRow> resultsFor(long contestId) throws JsonProcessingException {
        String key = "contest-results:" + contestId;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return json.readValue(cached, RESULT_LIST);
        }

        List<ResultRow> rows = new ArrayList<>();
        for (ContestEntry entry : entries.findByContestIdOrderByDrawPosition(contestId)) {
            // Each adjudicator's box submits marks for every band separately.
            List<Adjudication> marks = adjudications.findByEntryId(entry.getId());
            int total = marks.stream().mapToInt(Adjudication::getPoints).sum();
            rows.add(new ResultRow(entry.getBandName(), entry.getDrawPosition(), total, marks.size()));
        }
        rows.sort(Comparator.comparingInt(ResultRow::totalPoints).reversed()
                .thenComparingInt(ResultRow::drawPosition));

        redis.opsForValue().set(key, json.writeValueAsString(rows), RESULTS_TTL);
        return rows;
    }
}

@RestController
class ContestResultsController {

    private final ContestResultsService results;
    private final ContestEntryRepository entries;

    ContestResultsController(ContestResultsService results, ContestEntryRepository entries) {
        this.results = results;
        this.entries = entries;
    }

    @GetMapping("/api/contests/{contestId}/results")
    List<ContestResultsService.ResultRow> results(@PathVariable long contestId) throws JsonProcessingException {
        return results.resultsFor(contestId);
    }

    /** Secretary's view: every entry form ever submitted, newest first. */
    @GetMapping("/api/entries")
    List<ContestEntry> allEntries() {
        return entries.findAll(Sort.by(Sort.Direction.DESC, "submittedAt"));
    }
}
