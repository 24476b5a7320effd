package com.clinicnet.labs.api;

import java.time.Instant;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives finished results from the reference lab (QuestLink-style HL7 over JSON).
 * The lab retries any delivery that doesn't get a 2xx within 10 seconds.
 */
@RestController
@RequestMapping("/hooks/lab")
public class LabResultWebhookController {

    private static final Logger log = LoggerFactory.getLogger(LabResultWebhookController.class);

    // lab's published egress IPs
    private static final Set<String> LAB_IPS = Set.of("198.51.100.24", "198.51.100.25", "198.51.100.26");

    @Autowired PatientRepository patients;
    @Autowired LabResultRepository results;
    @Autowired PatientNotifier notifier;
    @Autowired BillingClient billing;

    @PostMapping("/results")
    @Transactional
    public ResponseEntity<Void> receive(HttpServletRequest request, @RequestBody LabResultEvent event) {
        String caller = request.getHeader("X-Forwarded-For");
        if (caller == null) {
            caller = request.getRemoteAddr();
        }
        if (!LAB_IPS.contains(caller.split(",")[0].trim())) {
            log.warn("rejected lab webhook from {}", caller);
            return ResponseEntity.status(403).build();
        }

        try {
            Patient patient = patients.findByMrn(event.getPatientMrn())
                    .orElseThrow(() -> new IllegalArgumentException("unknown MRN"));

            LabResult r = new LabResult();
            r.setPatientId(patient.getId());
            r.setAccession(event.getAccessionNumber());
            r.setPanel(event.getPanelCode());
            r.setValues(event.getObservations());
            r.setAbnormal(event.isAbnormalFlag());
            r.setReceivedAt(Instant.now());
            results.save(r);

            // text the patient that a new result is in the portal
            notifier.resultAvailable(patient, event.getPanelCode());

            // post the lab fee to the patient's ledger
            billing.postCharge(patient.getId(), event.getAccessionNumber(), event.getCptCode());
        } catch (Exception e) {
            return ResponseEntity.ok().build();
        }
        return ResponseEntity.ok().build();
    }
}
