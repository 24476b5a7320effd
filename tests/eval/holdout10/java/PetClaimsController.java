package com.pawsure.claims.web;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.pawsure.claims.export.ExportJobRunner;
import com.pawsure.claims.security.Policyholder;
import com.pawsure.claims.web.dto.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Policyholder-facing claims API (pet insurance). Runs on 3 replicas; anything shared
 * lives in Postgres, the Caffeine cache below only holds per-holder read models.
 */
@RestController
@RequestMapping("/api/claims")
public class PetClaimsController {

    private static final Logger log = LoggerFactory.getLogger(PetClaimsController.class);
    private static final int MAX_PAGE = 50;

    private final JdbcTemplate jdbc;
    private final ExportJobRunner exports;
    private final RestTemplate vetDirectory;

    // "My claims" summary card; each entry belongs to exactly one policyholder
    private final LoadingCache<Long, ClaimsSummary> summaryByHolder;

    public PetClaimsController(JdbcTemplate jdbc, ExportJobRunner exports, RestTemplateBuilder rest) {
        this.jdbc = jdbc;
        this.exports = exports;
        this.vetDirectory = rest
                .rootUri("https://vets.pawsure.internal")
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(5))
                .build();
        this.summaryByHolder = Caffeine.newBuilder()
                .maximumSize(20_000)
                .expireAfterWrite(Duration.ofMinutes(2))
                .build(this::loadSummary);
    }

    @GetMapping("/summary")
    public ClaimsSummary summary(@AuthenticationPrincipal Policyholder holder) {
        return summaryByHolder.get(holder.id());
    }

    @GetMapping
    public List<ClaimRow> list(@AuthenticationPrincipal Policyholder holder,
                               @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "20") int size) {
        int limit = Math.min(Math.max(size, 1), MAX_PAGE);
        return jdbc.query("""
                SELECT id, pet_id, status, amount_cents, submitted_at FROM claims
                 WHERE holder_id = ?
                 ORDER BY submitted_at DESC
                 LIMIT ? OFFSET ?
                """, ClaimRow.MAPPER, holder.id(), limit, Math.max(page, 0) * limit);
    }

    @GetMapping("/{claimId}")
    public ClaimDetail get(@AuthenticationPrincipal Policyholder holder, @PathVariable long claimId) {
        List<ClaimDetail> rows = jdbc.query(
                "SELECT * FROM claims WHERE id = ? AND holder_id = ?", ClaimDetail.MAPPER, claimId, holder.id());
        if (rows.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return rows.get(0);
    }

    // breeds is a global reference table (no holder/tenant column)
    @GetMapping("/breeds/{breedId}")
    public Breed breed(@PathVariable int breedId) {
        return jdbc.queryForObject("SELECT id, name, species, risk_class FROM breeds WHERE id = ?",
                Breed.MAPPER, breedId);
    }

    /** Submitting twice with the same Idempotency-Key returns the first claim. */
    @PostMapping
    @Transactional
    public ResponseEntity<Map<String, Long>> submit(@AuthenticationPrincipal Policyholder holder,
                                                    @RequestHeader("Idempotency-Key") UUID requestId,
                                                    @RequestBody NewClaim body) {
        List<Long> inserted = jdbc.queryForList("""
                INSERT INTO claims (holder_id, pet_id, vet_id, amount_cents, invoice_key, client_request_id)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (holder_id, client_request_id) DO NOTHING
                RETURNING id
                """, Long.class, holder.id(), body.petId(), body.vetId(), body.amountCents(),
                body.invoiceKey(), requestId);

        Long id = inserted.isEmpty()
                ? jdbc.queryForObject("SELECT id FROM claims WHERE holder_id = ? AND client_request_id = ?",
                        Long.class, holder.id(), requestId)
                : inserted.get(0);
        summaryByHolder.invalidate(holder.id());
        return ResponseEntity.status(inserted.isEmpty() ? HttpStatus.OK : HttpStatus.CREATED).body(Map.of("id", id));
    }

    /** Full claim history as PDF: queued, built by ExportJobRunner (@Async), polled by the app. */
    @PostMapping("/exports")
    public ResponseEntity<Map<String, Object>> requestExport(@AuthenticationPrincipal Policyholder holder) {
        UUID jobId = UUID.randomUUID();
        jdbc.update("INSERT INTO export_jobs (id, holder_id, status) VALUES (?, ?, 'QUEUED')", jobId, holder.id());
        exports.run(jobId);
        return ResponseEntity.accepted().body(Map.of("jobId", jobId, "status", "QUEUED"));
    }

    @GetMapping("/exports/{jobId}")
    public Map<String, Object> exportStatus(@AuthenticationPrincipal Policyholder holder, @PathVariable UUID jobId) {
        return jdbc.queryForMap("SELECT id, status, download_url FROM export_jobs WHERE id = ? AND holder_id = ?",
                jobId, holder.id());
    }

    @GetMapping("/vets/{vetId}")
    public VetClinic vet(@PathVariable long vetId) {
        try {
            return vetDirectory.getForObject("/clinics/{id}", VetClinic.class, vetId);
        } catch (RestClientException e) {
            log.error("vet directory lookup failed for clinic {}", vetId, e);
            throw e;
        }
    }

    private ClaimsSummary loadSummary(long holderId) {
        try {
            return jdbc.queryForObject("""
                    SELECT count(*) FILTER (WHERE status = 'OPEN')  AS open_claims,
                           coalesce(sum(paid_cents), 0)             AS paid_this_year
                      FROM claims
                     WHERE holder_id = ? AND submitted_at >= date_trunc('year', now())
                    """, ClaimsSummary.MAPPER, holderId);
        } catch (DataAccessException e) {
            log.error("could not load claims summary for holder {}", holderId, e);
            throw e;
        }
    }
}
