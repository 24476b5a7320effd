package com.glacierrink.hire;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.glacierrink.hire.model.DailyHireTally;
import com.glacierrink.hire.model.SkateHire;
import com.glacierrink.hire.repo.DailyHireTallyRepository;
import com.glacierrink.hire.repo.SkateHireRepository;

/**
 * Skate hire at the counter and the self-service kiosk.
 *
 * The hire API is deployed as 2 replicas behind the rink's load balancer; the counter
 * tablets and the kiosk can land on either one.
 */
@Service
public class SkateHireService {

    private static final Logger log = LoggerFactory.getLogger(SkateHireService.class);

    public record ActiveHire(long hireId, String wristband, int size, Instant issuedAt) {}

    // Pairs currently out on the ice, keyed by wristband code, so the exit gate can
    // tell staff whether a skater still has to hand skates back.
    private final Map<String, ActiveHire> onIce = new ConcurrentHashMap<>();

    private final SkateHireRepository hires;
    private final DailyHireTallyRepository tallies;

    public SkateHireService(SkateHireRepository hires, DailyHireTallyRepository tallies) {
        this.hires = hires;
        this.tallies = tallies;
    }

    @Transactional
    public ActiveHire issue(long rinkId, String wristband, int size, BigDecimal price) {
        SkateHire hire = hires.save(SkateHire.issued(rinkId, wristband, size, price));

        // Running totals for the end-of-session cash-up screen.
        DailyHireTally tally = tallies.findByRinkIdAndDay(rinkId, LocalDate.now())
                .orElseGet(() -> DailyHireTally.empty(rinkId, LocalDate.now()));
        tally.setPairsIssued(tally.getPairsIssued() + 1);
        tally.setTakings(tally.getTakings().add(price));
        tallies.save(tally);

        ActiveHire active = new ActiveHire(hire.getId(), wristband, size, hire.getIssuedAt());
        onIce.put(wristband, active);
        log.info("issued size {} to wristband {} (hire {})", size, wristband, hire.getId());
        return active;
    }

    @Transactional
    public void returnSkates(String wristband) {
        ActiveHire active = onIce.remove(wristband);
        long hireId = active != null
                ? active.hireId()
                : hires.findOpenByWristband(wristband)
                        .orElseThrow(() -> new IllegalStateException("no open hire for " + wristband))
                        .getId();
        hires.markReturned(hireId, Instant.now());
    }

    /** Exit gate: does this wristband still have skates out? */
    public boolean stillOnIce(String wristband) {
        return onIce.containsKey(wristband);
    }

    /** Used by the kiosk to pre-fill the size picker for returning skaters. */
    public Optional<Integer> lastSizeFor(String wristband) {
        try {
            return hires.findTopByWristbandOrderByIssuedAtDesc(wristband).map(SkateHire::getSize);
        } catch (DataAccessException e) {
            return Optional.empty();
        }
    }
}
