package com.docketly.efile.api;

import com.docketly.efile.auth.FirmUser;
import com.docketly.efile.court.CourtGateway;
import com.docketly.efile.domain.*;
import com.docketly.efile.repo.*;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.time.Instant;
import java.util.List;

/**
 * E-filing API used by law-firm portals. Every filing, document and service
 * contact belongs to one organization (the firm); courts are a shared catalogue.
 */
@RestController
@RequestMapping("/api/v1/filings")
public class FilingController {

    private final FilingRepository filings;
    private final FilingDocumentRepository documents;
    private final ServiceContactRepository contacts;
    private final CourtRepository courts;
    private final CourtGateway gateway;

    public FilingController(FilingRepository filings, FilingDocumentRepository documents,
                            ServiceContactRepository contacts, CourtRepository courts, CourtGateway gateway) {
        this.filings = filings;
        this.documents = documents;
        this.contacts = contacts;
        this.courts = courts;
        this.gateway = gateway;
    }

    @GetMapping
    public Page<Filing> list(@AuthenticationPrincipal FirmUser user,
                             @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "25") int size) {
        return filings.findByOrganizationId(user.orgId(),
                PageRequest.of(page, Math.min(size, 100), Sort.by(Sort.Direction.DESC, "createdAt")));
    }

    @GetMapping("/{id}")
    public Filing get(@AuthenticationPrincipal FirmUser user, @PathVariable Long id) {
        return filings.findByIdAndOrganizationId(id, user.orgId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Filing create(@AuthenticationPrincipal FirmUser user, @RequestBody NewFiling body) {
        // courts table is global (no org column), lookup by code is fine
        Court court = courts.findById(body.courtCode())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown court"));
        Filing f = new Filing();
        f.setOrganizationId(user.orgId());
        f.setCourt(court);
        f.setCaseNumber(body.caseNumber());
        f.setFilingType(body.filingType());
        f.setStatus(FilingStatus.DRAFT);
        f.setCreatedBy(user.id());
        return filings.save(f);
    }

    @GetMapping("/{id}/documents")
    public List<FilingDocument> documents(@AuthenticationPrincipal FirmUser user, @PathVariable Long id) {
        return documents.findByFilingIdAndOrganizationId(id, user.orgId());
    }

    @DeleteMapping("/{id}/documents/{docId}")
    @Transactional
    public void removeDocument(@AuthenticationPrincipal FirmUser user, @PathVariable Long id, @PathVariable Long docId) {
        FilingDocument doc = documents.findById(docId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (!doc.getFilingId().equals(id) || doc.getFiling().getStatus() != FilingStatus.DRAFT) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "document cannot be removed");
        }
        documents.delete(doc);
    }

    @GetMapping("/service-contacts")
    public List<ServiceContact> serviceContacts(@AuthenticationPrincipal FirmUser user) {
        // every opposing counsel / party ever served by the firm
        return contacts.findByOrganizationIdOrderByLastNameAsc(user.orgId());
    }

    @PostMapping("/{id}/submit")
    @Transactional
    public Filing submit(@AuthenticationPrincipal FirmUser user, @PathVariable Long id) {
        Filing f = filings.findByIdAndOrganizationIdForUpdate(id, user.orgId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (f.getStatus() != FilingStatus.DRAFT) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "already submitted");
        }
        f.setStatus(FilingStatus.QUEUED);
        f.setSubmittedAt(Instant.now());
        gateway.enqueueSubmission(f.getId());   // outbox row, sent by the court-sync worker
        return f;
    }
}
