package com.example.accounts;

import java.math.BigDecimal;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class AccountService {

    public interface AccountRepository extends org.springframework.data.jpa.repository.JpaRepository<Account, Long> {
        @Modifying
        @Query("update Account a set a.balance = a.balance + :amount where a.id = :id")
        int credit(@Param("id") long id, @Param("amount") BigDecimal amount);
    }

    private final AccountRepository accounts;

    public AccountService(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Transactional
    public BigDecimal debit(long accountId, BigDecimal amount) {
        Account account = accounts.findById(accountId).orElseThrow();
        account.setBalance(account.getBalance().subtract(amount));
        accounts.save(account);
        return account.getBalance();
    }

    @Transactional
    public void credit(long accountId, BigDecimal amount) {
        if (accounts.credit(accountId, amount) == 0) {
            throw new IllegalArgumentException("no account " + accountId);
        }
    }
}
