package com.pawsrx.refills;

import jakarta.persistence.*;
import lombok.Getter;
import lombok.RequiredArgsConstructor;
import lombok.Setter;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

// ---------------------------------------------------------------- web

@RestController
@RequestMapping("/api/prescriptions")
@RequiredArgsConstructor
class RefillController {

    private final RefillService refills;

    @PostMapping("/{rxId}/refills")
    public RefillResponse requestRefill(@PathVariable long rxId, @AuthenticationPrincipal ClinicUser user) {
        return refills.requestRefill(user.clinicId(), rxId);
    }

    @GetMapping("/formulary")
    public List<FormularyItem> formulary() {
        return refills.formulary();
    }
}

// ---------------------------------------------------------------- service

@Service
@RequiredArgsConstructor
public class RefillService {

    private static final Duration FORMULARY_TTL = Duration.ofMinutes(5);

    // joins the drug catalog with stock across all partner pharmacies, ~3-4 s on prod
    private static final String FORMULARY_SQL = """
            SELECT d.ndc, d.name, d.species, d.strength,
                   SUM(s.on_hand) AS units_available,
                   MIN(s.unit_price_cents) AS best_price_cents
            FROM drugs d
            JOIN pharmacy_stock s ON s.ndc = d.ndc
            WHERE d.active
            GROUP BY d.ndc, d.name, d.species, d.strength
            ORDER BY d.name
            """;

    private final PrescriptionRepository prescriptions;
    private final JdbcTemplate jdbc;

    private volatile List<FormularyItem> formularyCache;
    private volatile Instant formularyLoadedAt = Instant.EPOCH;

    @Transactional
    public RefillResponse requestRefill(long clinicId, long rxId) {
        Prescription rx = prescriptions.findByIdAndClinicId(rxId, clinicId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (rx.getRefillsRemaining() <= 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "No refills left, vet authorization needed");
        }
        rx.setRefillsRemaining(rx.getRefillsRemaining() - 1);
        prescriptions.save(rx);

        // hold the medication at the pharmacy counter for two days
        jdbc.update("""
                INSERT INTO pickup_holds (prescription_id, clinic_id, pharmacy_id, expires_at)
                VALUES (?, ?, ?, now() + interval '48 hours')
                """, rxId, clinicId, rx.getPharmacyId());

        return new RefillResponse(rxId, rx.getRefillsRemaining());
    }

    public List<PickupHold> activeHolds(long clinicId) {
        return jdbc.query(
                "SELECT h.prescription_id, h.pharmacy_id, h.expires_at FROM pickup_holds h " +
                "WHERE h.clinic_id = ? AND h.expires_at > now() ORDER BY h.expires_at",
                PickupHold.MAPPER, clinicId);
    }

    public List<FormularyItem> formulary() {
        if (formularyCache == null || formularyLoadedAt.isBefore(Instant.now().minus(FORMULARY_TTL))) {
            formularyCache = jdbc.query(FORMULARY_SQL, FormularyItem.MAPPER);
            formularyLoadedAt = Instant.now();
        }
        return formularyCache;
    }
}

// ---------------------------------------------------------------- persistence

interface PrescriptionRepository extends JpaRepository<Prescription, Long> {
    Optional<Prescription> findByIdAndClinicId(long id, long clinicId);
}

@Entity
@Table(name = "prescriptions")
@Getter
@Setter
class Prescription {
    @Id
    private Long id;
    private Long clinicId;
    private Long petId;
    private Long pharmacyId;
    private String ndc;
    private int refillsRemaining;
}
