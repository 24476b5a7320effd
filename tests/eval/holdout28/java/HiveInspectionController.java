package org.citybees.inspections.web;

import jakarta.validation.Valid;
import org.citybees.inspections.model.Hive;
import org.citybees.inspections.model.Inspection;
import org.citybees.inspections.model.InspectionForm;
import org.citybees.inspections.repo.HiveRepository;
import org.citybees.inspections.repo.InspectionRepository;
import org.citybees.security.BeekeeperPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.time.LocalDate;
import java.util.Map;

/**
 * Hive inspection log for urban beekeeping associations. Each association
 * (tenant) sees only its own apiaries; the association id always comes from
 * the signed-in beekeeper, never from the request.
 */
@RestController
@RequestMapping("/api/hives/{hiveId}/inspections")
public class HiveInspectionController {

    private static final Logger log = LoggerFactory.getLogger(HiveInspectionController.class);
    private static final int MAX_PAGE_SIZE = 100;

    private final HiveRepository hives;
    private final InspectionRepository inspections;

    public HiveInspectionController(HiveRepository hives, InspectionRepository inspections) {
        this.hives = hives;
        this.inspections = inspections;
    }

    @GetMapping
    public Page<Inspection> list(@AuthenticationPrincipal BeekeeperPrincipal me,
                                 @PathVariable long hiveId,
                                 @RequestParam(defaultValue = "0") int page,
                                 @RequestParam(defaultValue = "25") int size) {
        PageRequest pageable = PageRequest.of(Math.max(page, 0), Math.min(Math.max(size, 1), MAX_PAGE_SIZE),
                Sort.by(Sort.Direction.DESC, "inspectedOn"));
        return inspections.findByAssociationIdAndHiveId(me.associationId(), hiveId, pageable);
    }

    /**
     * One inspection per hive per day; the unique index
     * (association_id, hive_id, inspected_on) enforces it.
     */
    @PostMapping
    public ResponseEntity<?> record(@AuthenticationPrincipal BeekeeperPrincipal me,
                                    @PathVariable long hiveId,
                                    @Valid @RequestBody InspectionForm form) {
        Hive hive = hives.findByIdAndAssociationId(hiveId, me.associationId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));

        Inspection inspection = new Inspection();
        inspection.setAssociationId(me.associationId());
        inspection.setHiveId(hive.getId());
        inspection.setInspectedBy(me.beekeeperId());
        inspection.setInspectedOn(form.inspectedOn() != null ? form.inspectedOn() : LocalDate.now());
        inspection.setQueenSeen(form.queenSeen());
        inspection.setBroodFrames(form.broodFrames());
        inspection.setVarroaCount(form.varroaCount());
        inspection.setTemperament(form.temperament());
        inspection.setNotes(form.notes());

        try {
            Inspection saved = inspections.saveAndFlush(inspection);
            return ResponseEntity.status(HttpStatus.CREATED).body(saved);
        } catch (DataIntegrityViolationException e) {
            log.info("duplicate inspection for hive {} on {} by {}", hiveId,
                    inspection.getInspectedOn(), me.beekeeperId());
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "This hive already has an inspection for that day"));
        }
    }
}
