package com.paylite.wallet.service;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Recover;
import org.springframework.retry.annotation.Retryable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.paylite.wallet.domain.Transfer;
import com.paylite.wallet.domain.Wallet;

/**
 * Wallet-to-wallet transfers.
 *
 * Idempotency: clients send an Idempotency-Key; the transfers table has a unique index on it.
 * Concurrency: both wallet rows are locked (SELECT ... FOR UPDATE) in id order, so
 * concurrent transfers touching the same wallets serialize and cannot deadlock each other.
 */
@Service
@RequiredArgsConstructor
@Slf4j
public class WalletTransferService {

    private final WalletRepository wallets;
    private final TransferRepository transfers;

    @Retryable(retryFor = PessimisticLockingFailureException.class,
               maxAttempts = 4,
               backoff = @Backoff(delay = 50, multiplier = 2.0, maxDelay = 800, random = true))
    @Transactional
    public TransferResult transfer(String idempotencyKey, UUID fromId, UUID toId, long amountMinor) {
        UUID transferId = UUID.randomUUID();
        int inserted = transfers.insertIfAbsent(transferId, idempotencyKey, fromId, toId, amountMinor);
        if (inserted == 0) {
            // replay of a request we already handled: return the original outcome
            return TransferResult.from(transfers.findByIdempotencyKey(idempotencyKey).orElseThrow());
        }

        List<Wallet> locked = wallets.lockAllById(List.of(fromId, toId));
        Wallet from = locked.stream().filter(w -> w.getId().equals(fromId)).findFirst().orElseThrow();
        Wallet to = locked.stream().filter(w -> w.getId().equals(toId)).findFirst().orElseThrow();

        if (from.getBalanceMinor() < amountMinor) {
            throw new InsufficientFundsException(fromId, amountMinor); // rolls back the transfer row too
        }
        from.debit(amountMinor);
        to.credit(amountMinor);
        transfers.markCompleted(transferId);
        return TransferResult.completed(transferId, from.getBalanceMinor());
    }

    @Recover
    public TransferResult recover(PessimisticLockingFailureException e, String idempotencyKey,
                                  UUID fromId, UUID toId, long amountMinor) {
        log.error("Transfer {} from {} to {} still failing after retries", idempotencyKey, fromId, toId, e);
        throw new WalletBusyException("Wallet is busy, please retry", e);
    }
}

interface WalletRepository extends JpaRepository<Wallet, UUID> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select w from Wallet w where w.id in :ids order by w.id")
    List<Wallet> lockAllById(@Param("ids") Collection<UUID> ids);
}

interface TransferRepository extends JpaRepository<Transfer, UUID> {

    @Modifying
    @Query(value = """
            INSERT INTO transfers (id, idempotency_key, from_wallet, to_wallet, amount_minor, status, created_at)
            VALUES (:id, :key, :from, :to, :amount, 'PENDING', now())
            ON CONFLICT (idempotency_key) DO NOTHING
            """, nativeQuery = true)
    int insertIfAbsent(@Param("id") UUID id, @Param("key") String key,
                       @Param("from") UUID from, @Param("to") UUID to, @Param("amount") long amount);

    @Modifying
    @Query("update Transfer t set t.status = 'COMPLETED', t.completedAt = current_timestamp where t.id = :id")
    void markCompleted(@Param("id") UUID id);

    Optional<Transfer> findByIdempotencyKey(String idempotencyKey);
}
