package com.example.wallet;

import java.math.BigDecimal;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/wallets")
public class PurchaseController {

    private final JdbcTemplate jdbc;

    public PurchaseController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/{walletId}/purchases")
    @Transactional
    public ResponseEntity<String> purchase(@PathVariable long walletId,
                                           @RequestBody PurchaseRequest request) {
        // Validate and debit in one statement: the database applies the two purchases one after
        // the other, and the second one matches no row if the money is gone.
        int updated = jdbc.update(
                "UPDATE wallets SET balance = balance - ? WHERE id = ? AND balance >= ?",
                request.amount(), walletId, request.amount());
        if (updated == 0) {
            return ResponseEntity.status(402).body("Insufficient funds");
        }
        jdbc.update("INSERT INTO purchases (wallet_id, amount) VALUES (?, ?)",
                walletId, request.amount());
        BigDecimal balance = jdbc.queryForObject(
                "SELECT balance FROM wallets WHERE id = ?", BigDecimal.class, walletId);
        return ResponseEntity.ok("Balance: " + balance);
    }
}
