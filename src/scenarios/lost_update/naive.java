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
        BigDecimal balance = jdbc.queryForObject(
                "SELECT balance FROM wallets WHERE id = ?", BigDecimal.class, walletId);
        if (balance.compareTo(request.amount()) < 0) {
            return ResponseEntity.status(402).body("Insufficient funds");
        }
        BigDecimal newBalance = balance.subtract(request.amount());
        jdbc.update("UPDATE wallets SET balance = ? WHERE id = ?", newBalance, walletId);
        jdbc.update("INSERT INTO purchases (wallet_id, amount) VALUES (?, ?)",
                walletId, request.amount());
        return ResponseEntity.ok("Balance: " + newBalance);
    }
}
