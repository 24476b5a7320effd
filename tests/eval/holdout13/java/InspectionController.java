package com.hearthguard.inspections.web;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.List;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

// Inspections belong to an insurance carrier (org_id). Adjusters only ever see their carrier's rows.
// Traffic comes through Kong; upstream timeout is 30s.

interface InspectionRepository extends JpaRepository<Inspection, Long> {

    List<Inspection> findByOrgIdOrderByScheduledForDesc(Long orgId);

    java.util.Optional<Inspection> findByIdAndOrgId(Long id, Long orgId);

    @Query("select i from Inspection i where i.orgId = :orgId and i.status = :status")
    Page<Inspection> findByOrgIdAndStatus(@Param("orgId") Long orgId,
                                          @Param("status") InspectionStatus status,
                                          Pageable pageable);

    @Query("select i from Inspection i where i.orgId = :orgId and i.completedAt between :from and :to")
    List<Inspection> findCompletedBetween(@Param("orgId") Long orgId,
                                          @Param("from") LocalDate from,
                                          @Param("to") LocalDate to);
}

@Service
class InspectionService {

    private final InspectionRepository inspections;
    private final ReportRenderer renderer;

    InspectionService(InspectionRepository inspections, ReportRenderer renderer) {
        this.inspections = inspections;
        this.renderer = renderer;
    }

    List<Inspection> listForCarrier(Long orgId) {
        return inspections.findByOrgIdOrderByScheduledForDesc(orgId);
    }

    Inspection get(Long orgId, Long id) {
        return inspections.findByIdAndOrgId(id, orgId).orElseThrow(NotFoundException::new);
    }

    @Transactional
    Inspection updateStatus(Long id, InspectionStatus status, String note) {
        Inspection insp = inspections.findById(id).orElseThrow(NotFoundException::new);
        insp.setStatus(status);
        insp.addNote(note);
        return insp;
    }

    byte[] quarterlyPacket(Long orgId, LocalDate from, LocalDate to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Inspection> done = inspections.findCompletedBetween(orgId, from, to);
        for (Inspection insp : done) {
            // each report pulls ~20 photos from S3 and lays out 6-10 pages
            renderer.appendReport(out, insp);
        }
        return out.toByteArray();
    }
}

@RestController
@RequestMapping("/api/inspections")
class InspectionController {

    private final InspectionService service;

    InspectionController(InspectionService service) {
        this.service = service;
    }

    @GetMapping
    List<InspectionDto> list(@AuthenticationPrincipal AdjusterUser user) {
        return service.listForCarrier(user.orgId()).stream().map(InspectionDto::from).toList();
    }

    @GetMapping("/{id}")
    InspectionDto get(@AuthenticationPrincipal AdjusterUser user, @PathVariable Long id) {
        return InspectionDto.from(service.get(user.orgId(), id));
    }

    @PatchMapping("/{id}/status")
    InspectionDto setStatus(@AuthenticationPrincipal AdjusterUser user, @PathVariable Long id,
                            @RequestBody StatusChange body) {
        return InspectionDto.from(service.updateStatus(id, body.status(), body.note()));
    }

    @GetMapping(value = "/packets/quarterly", produces = MediaType.APPLICATION_PDF_VALUE)
    ResponseEntity<byte[]> quarterly(@AuthenticationPrincipal AdjusterUser user,
                                     @RequestParam LocalDate from, @RequestParam LocalDate to) {
        byte[] pdf = service.quarterlyPacket(user.orgId(), from, to);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=inspections-" + from + ".pdf")
                .body(pdf);
    }

    record StatusChange(InspectionStatus status, String note) {}
}
