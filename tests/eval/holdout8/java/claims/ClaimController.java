package io.claimdesk.api.claims;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

interface ClaimRepository extends JpaRepository<Claim, Long> {

    Page<Claim> findByOrgIdAndStatus(Long orgId, ClaimStatus status, Pageable pageable);

    Optional<Claim> findByIdAndOrgId(Long id, Long orgId);

    @Query("select c from Claim c where c.orgId = :orgId and year(c.lossDate) = :year and quarter(c.lossDate) = :quarter")
    List<Claim> findAllByOrgIdAndQuarter(Long orgId, int year, int quarter);
}

interface ClaimNoteRepository extends JpaRepository<ClaimNote, Long> {
    // claim_notes has no org column; notes are only reachable through a claim we already scoped
    List<ClaimNote> findTop50ByClaimIdOrderByCreatedAtDesc(Long claimId);
}

@RestController
@RequestMapping("/api/claims")
public class ClaimController {

    private final ClaimRepository claimRepository;
    private final ClaimNoteRepository noteRepository;

    public ClaimController(ClaimRepository claimRepository, ClaimNoteRepository noteRepository) {
        this.claimRepository = claimRepository;
        this.noteRepository = noteRepository;
    }

    @GetMapping
    public Page<ClaimDto> list(@AuthenticationPrincipal AdjusterPrincipal user,
                               @RequestParam(defaultValue = "OPEN") ClaimStatus status,
                               @RequestParam(defaultValue = "0") int page) {
        Pageable pageable = PageRequest.of(page, 25, Sort.by("reportedAt").descending());
        return claimRepository.findByOrgIdAndStatus(user.orgId(), status, pageable).map(ClaimDto::from);
    }

    @GetMapping("/{claimId}")
    public ClaimDetailDto get(@AuthenticationPrincipal AdjusterPrincipal user, @PathVariable Long claimId) {
        Claim claim = claimRepository.findByIdAndOrgId(claimId, user.orgId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        List<ClaimNote> notes = noteRepository.findTop50ByClaimIdOrderByCreatedAtDesc(claim.getId());
        return ClaimDetailDto.from(claim, notes);
    }

    @PostMapping("/{claimId}/approve")
    @Transactional
    public ClaimDto approve(@AuthenticationPrincipal AdjusterPrincipal user,
                            @PathVariable Long claimId,
                            @Valid @RequestBody ApprovalRequest req) {
        Claim claim = claimRepository.findById(claimId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (req.amount().compareTo(user.approvalLimit()) > 0) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "amount exceeds your authority");
        }
        claim.approve(req.amount(), user.id()); // Claim carries @Version, stale approvals fail
        return ClaimDto.from(claim);
    }

    /**
     * Quarterly loss-run report for the adjuster's organisation.
     * Big carriers have 30-40k claims a quarter; each one becomes a page with the reserve history.
     */
    @GetMapping(value = "/reports/loss-run", produces = MediaType.APPLICATION_PDF_VALUE)
    public byte[] lossRun(@AuthenticationPrincipal AdjusterPrincipal user,
                          @RequestParam int year, @RequestParam int quarter) {
        List<Claim> claims = claimRepository.findAllByOrgIdAndQuarter(user.orgId(), year, quarter);
        LossRunPdf pdf = new LossRunPdf(user.orgName(), year, quarter);
        for (Claim claim : claims) {
            pdf.addClaimPage(claim);
        }
        pdf.addSummary(claims.stream().map(Claim::getPaidAmount).reduce(BigDecimal.ZERO, BigDecimal::add));
        return pdf.render();
    }
}

record ApprovalRequest(BigDecimal amount, String comment) {}
