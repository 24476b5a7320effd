package com.perkly.loyalty.points;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;

/**
 * Points earning and redemption for the Perkly loyalty program.
 *
 * <p>Concurrency notes:
 * <ul>
 *   <li>Balances are only ever changed with relative, conditional UPDATEs, so two
 *       redemptions racing on the same member can never overdraw the balance.</li>
 *   <li>Every ledger entry has a unique {@code (member_id, source_ref)}; replays of the same
 *       purchase or redemption request are rejected by the database.</li>
 * </ul>
 */
@Service
public class PointsService {

    private static final Logger log = LoggerFactory.getLogger(PointsService.class);

    private final JdbcTemplate jdbc;

    /** Reward catalog changes rarely; bounded and refreshed every 10 minutes. */
    private final Cache<Long, Reward> rewardCache = Caffeine.newBuilder()
            .maximumSize(5_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public PointsService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Credits points for a purchase. Returns {@code false} if this purchase was already credited.
     */
    @Transactional
    public boolean earn(long memberId, String purchaseRef, int points) {
        try {
            jdbc.update("INSERT INTO points_ledger (member_id, source_ref, delta, created_at) VALUES (?, ?, ?, now())",
                    memberId, "purchase:" + purchaseRef, points);
        } catch (DuplicateKeyException e) {
            log.info("Purchase {} already credited to member {}", purchaseRef, memberId);
            return false;
        }
        jdbc.update("UPDATE members SET points_balance = points_balance + ? WHERE id = ?", points, memberId);
        return true;
    }

    /**
     * Redeems a reward. Debit, stock decrement and ledger insert commit or roll back together.
     */
    @Transactional
    public void redeem(long memberId, long rewardId, String requestId) {
        Reward reward = rewardCache.get(rewardId, this::loadReward);

        int debited = jdbc.update(
                "UPDATE members SET points_balance = points_balance - ? WHERE id = ? AND points_balance >= ?",
                reward.cost(), memberId, reward.cost());
        if (debited == 0) {
            throw new InsufficientPointsException(memberId, reward.cost());
        }

        int reserved = jdbc.update(
                "UPDATE rewards SET remaining = remaining - 1 WHERE id = ? AND remaining > 0", rewardId);
        if (reserved == 0) {
            throw new RewardSoldOutException(rewardId); // unchecked -> debit above is rolled back
        }

        try {
            jdbc.update("INSERT INTO points_ledger (member_id, source_ref, delta, created_at) VALUES (?, ?, ?, now())",
                    memberId, "redeem:" + requestId, -reward.cost());
        } catch (DuplicateKeyException e) {
            log.warn("Duplicate redemption request {} for member {}", requestId, memberId);
            throw new AlreadyRedeemedException(requestId, e);
        }
    }

    @Transactional(readOnly = true)
    public int balance(long memberId) {
        Integer b = jdbc.queryForObject("SELECT points_balance FROM members WHERE id = ?", Integer.class, memberId);
        return b == null ? 0 : b;
    }

    private Reward loadReward(Long rewardId) {
        return jdbc.queryForObject("SELECT id, name, cost FROM rewards WHERE id = ? AND active",
                (rs, i) -> new Reward(rs.getLong("id"), rs.getString("name"), rs.getInt("cost")), rewardId);
    }

    public record Reward(long id, String name, int cost) {}
}
