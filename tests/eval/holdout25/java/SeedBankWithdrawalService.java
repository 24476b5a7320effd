package org.heritageseeds.bank.withdrawal;

import java.time.Instant;

import jakarta.persistence.*;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Entity
@Table(name = "seed_accessions")
class SeedAccession {
    @Id Long id;
    String accessionCode;
    String species;
    int packetsInVault;
    int reserveFloor;   // never release below this many packets
    Instant lastWithdrawalAt;

    public int getPacketsInVault() { return packetsInVault; }
    public void setPacketsInVault(int p) { this.packetsInVault = p; }
    public int getReserveFloor() { return reserveFloor; }
    public void setLastWithdrawalAt(Instant t) { this.lastWithdrawalAt = t; }
    public String getAccessionCode() { return accessionCode; }
}

interface SeedAccessionRepository extends JpaRepository<SeedAccession, Long> {}

interface WithdrawalAuditRepository extends JpaRepository<WithdrawalAudit, Long> {}

@Entity
@Table(name = "withdrawal_audit")
class WithdrawalAudit {
    @Id @GeneratedValue Long id;
    Long accessionId;
    Long memberId;
    int packets;
    Instant at;

    WithdrawalAudit() {}
    WithdrawalAudit(Long accessionId, Long memberId, int packets) {
        this.accessionId = accessionId;
        this.memberId = memberId;
        this.packets = packets;
        this.at = Instant.now();
    }
}

/**
 * Members of the heritage seed library request packets of rare accessions.
 * Curators approve requests in the admin UI, which calls withdraw().
 */
@Service
public class SeedBankWithdrawalService {

    private final SeedAccessionRepository accessions;
    private final WithdrawalAuditRepository audit;

    public SeedBankWithdrawalService(SeedAccessionRepository accessions,
                                     WithdrawalAuditRepository audit) {
        this.accessions = accessions;
        this.audit = audit;
    }

    @Transactional
    public int withdraw(long accessionId, long memberId, int packets) {
        SeedAccession acc = accessions.findById(accessionId)
                .orElseThrow(() -> new IllegalArgumentException("unknown accession " + accessionId));

        int remaining = acc.getPacketsInVault() - packets;
        if (remaining < acc.getReserveFloor()) {
            throw new IllegalStateException(
                    "Withdrawal would take " + acc.getAccessionCode() + " below its reserve floor");
        }

        acc.setPacketsInVault(remaining);
        acc.setLastWithdrawalAt(Instant.now());
        accessions.save(acc);

        recordAudit(accessionId, memberId, packets);
        return remaining;
    }

    private void recordAudit(long accessionId, long memberId, int packets) {
        try {
            audit.save(new WithdrawalAudit(accessionId, memberId, packets));
        } catch (RuntimeException e) {
            // audit table is best effort; the withdrawal itself already went through
        }
    }
}
