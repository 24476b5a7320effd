package com.openhouse.crm.leads;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

@RestController
public class LeadController {

    private static final Logger log = LoggerFactory.getLogger(LeadController.class);

    private final JdbcTemplate jdbc;
    private final PortalSignatureVerifier verifier;

    public LeadController(JdbcTemplate jdbc, PortalSignatureVerifier verifier) {
        this.jdbc = jdbc;
        this.verifier = verifier;
    }

    @GetMapping("/api/leads")
    public List<Map<String, Object>> leads(@RequestAttribute("agencyId") long agencyId,
                                           @RequestParam(defaultValue = "0") int offset) {
        return jdbc.queryForList("SELECT id, full_name, email, phone, stage, listing_id FROM leads "
                + "WHERE agency_id = ? ORDER BY created_at DESC LIMIT 50 OFFSET ?", agencyId, Math.max(0, offset));
    }

    @GetMapping("/api/leads/{id}")
    public Map<String, Object> lead(@RequestAttribute("agencyId") long agencyId, @PathVariable long id) {
        return jdbc.queryForMap("SELECT * FROM leads WHERE id = ? AND agency_id = ?", id, agencyId);
    }

    @PostMapping("/api/leads")
    public ResponseEntity<?> create(@RequestAttribute("agencyId") long agencyId, @RequestBody NewLead lead) {
        try {
            Long id = jdbc.queryForObject("INSERT INTO leads (agency_id, full_name, email, phone, stage) "
                    + "VALUES (?, ?, lower(?), ?, 'NEW') RETURNING id", Long.class,
                    agencyId, lead.fullName(), lead.email(), lead.phone());
            return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id));
        } catch (DuplicateKeyException e) {
            // uq_leads_agency_email (agency_id, email)
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "lead_exists"));
        }
    }

    // zip_codes is a shared reference table (no agency column)
    @GetMapping("/api/zip/{code}")
    public Map<String, Object> zip(@PathVariable String code) {
        return jdbc.queryForMap("SELECT code, city, state, county FROM zip_codes WHERE code = ?", code);
    }

    // Inbound leads pushed by the listing portal. The portal retries on any non-2xx and
    // sometimes delivers the same event twice, so dedupe on its event id first.
    @PostMapping("/webhooks/portal-leads")
    @Transactional
    public ResponseEntity<Void> portalLead(@RequestHeader("X-Portal-Signature") String sig,
                                           @RequestBody String raw) {
        PortalLeadEvent ev = verifier.verifyAndParse(raw, sig);
        int fresh = jdbc.update("INSERT INTO portal_events (event_id, received_at) VALUES (?, now()) "
                + "ON CONFLICT (event_id) DO NOTHING", ev.eventId());
        if (fresh == 0) {
            log.info("duplicate portal event {}", ev.eventId());
            return ResponseEntity.ok().build();
        }
        // portal listing ids are globally unique; this is how we find which agency the lead belongs to
        Long agencyId = jdbc.queryForObject("SELECT agency_id FROM listings WHERE portal_listing_id = ?",
                Long.class, ev.listingRef());
        jdbc.update("INSERT INTO leads (agency_id, full_name, email, phone, stage, listing_id) "
                + "SELECT ?, ?, lower(?), ?, 'NEW', id FROM listings WHERE portal_listing_id = ? AND agency_id = ? "
                + "ON CONFLICT (agency_id, email) DO UPDATE SET listing_id = EXCLUDED.listing_id",
                agencyId, ev.name(), ev.email(), ev.phone(), ev.listingRef(), agencyId);
        return ResponseEntity.ok().build();
    }
}
