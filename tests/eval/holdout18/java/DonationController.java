// donation-service (plasma centres) -- controller, service and repos pasted together for review.
// Each centre's staff only see their own centre; centreId comes from the URL and is checked
// against the staff member's JWT claim in CentreAccessInterceptor (not shown).
// Deployed behind the AWS ALB, idle timeout 30s.

package com.plasmaplus.donations;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import lombok.RequiredArgsConstructor;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/centres/{centreId}/donations")
@RequiredArgsConstructor
public class DonationController {

    private final DonationService service;

    @GetMapping
    public Page<DonationDto> list(@PathVariable Long centreId, Pageable pageable) {
        return service.listForCentre(centreId, pageable);
    }

    @GetMapping("/{donationId}")
    public DonationDto get(@PathVariable Long centreId, @PathVariable Long donationId) {
        return service.get(centreId, donationId);
    }

    @PostMapping("/{donationId}/void")
    public ResponseEntity<Void> voidDonation(@PathVariable Long centreId, @PathVariable Long donationId,
                                             @RequestBody Map<String, String> body) {
        service.voidDonation(centreId, donationId, body.get("reason"));
        return ResponseEntity.noContent().build();
    }

    // Year-end compensation statement for the tax office: one page per donor.
    @GetMapping(value = "/statements/{year}", produces = "application/pdf")
    public ResponseEntity<byte[]> annualStatement(@PathVariable Long centreId, @PathVariable int year) {
        byte[] pdf = service.renderAnnualStatement(centreId, year);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=statement-" + year + ".pdf")
                .body(pdf);
    }
}

@Service
@RequiredArgsConstructor
class DonationService {

    private final DonationRepository donations;
    private final DonorRepository donors;
    private final StatementRenderer renderer;

    @Transactional(readOnly = true)
    public Page<DonationDto> listForCentre(Long centreId, Pageable pageable) {
        return donations.findByCentreId(centreId, pageable).map(DonationDto::from);
    }

    @Transactional(readOnly = true)
    public DonationDto get(Long centreId, Long donationId) {
        return donations.findByIdAndCentreId(donationId, centreId)
                .map(DonationDto::from)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    @Transactional
    public void voidDonation(Long centreId, Long donationId, String reason) {
        Donation d = donations.findById(donationId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        d.setStatus(DonationStatus.VOIDED);
        d.setVoidReason(reason);
        d.setVoidedAt(LocalDateTime.now());
    }

    // a busy centre collects ~45k donations a year from ~3k regular donors
    @Transactional(readOnly = true)
    public byte[] renderAnnualStatement(Long centreId, int year) {
        List<Donation> rows = donations.findByCentreIdAndCollectedOnBetween(
                centreId, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
        Map<Long, List<Donation>> byDonor = rows.stream()
                .collect(Collectors.groupingBy(Donation::getDonorId));

        StatementDocument doc = renderer.newDocument(centreId, year);
        for (Map.Entry<Long, List<Donation>> entry : byDonor.entrySet()) {
            Donor donor = donors.findById(entry.getKey()).orElseThrow();
            doc.addDonorPage(donor, entry.getValue());
        }
        return doc.toPdf();
    }
}

interface DonationRepository extends JpaRepository<Donation, Long> {
    Page<Donation> findByCentreId(Long centreId, Pageable pageable);
    Optional<Donation> findByIdAndCentreId(Long id, Long centreId);
    List<Donation> findByCentreIdAndCollectedOnBetween(Long centreId, LocalDate from, LocalDate to);
}

interface DonorRepository extends JpaRepository<Donor, Long> {
}
