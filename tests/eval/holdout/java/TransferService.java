package com.example.bank;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class TransferService {

    private final JdbcTemplate jdbc;

    public TransferService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void transfer(long from, long to, BigDecimal amount) {
        BigDecimal balance = jdbc.queryForObject("SELECT balance FROM accounts WHERE id = ?", BigDecimal.class, from);
        if (balance.compareTo(amount) < 0) {
            throw new IllegalStateException("insufficient funds");
        }
        jdbc.update("UPDATE accounts SET balance = ? WHERE id = ?", balance.subtract(amount), from);
        jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to);
    }

    @Transactional
    public void transferSafe(long from, long to, BigDecimal amount) {
        int debited = jdbc.update(
                "UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?", amount, from, amount);
        if (debited == 0) {
            throw new IllegalStateException("insufficient funds");
        }
        jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to);
    }
}
