package com.example.vouchers;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class VoucherService {

    private final JdbcTemplate jdbc;

    public VoucherService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public boolean redeem(String code, long userId) {
        int updated = jdbc.update(
                "UPDATE vouchers SET redeemed_by = ?, redeemed_at = now() WHERE code = ? AND redeemed_by IS NULL",
                userId, code);
        return updated == 1;
    }

    public int remaining(String campaign) {
        Integer n = jdbc.queryForObject(
                "SELECT count(*) FROM vouchers WHERE campaign = ? AND redeemed_by IS NULL", Integer.class, campaign);
        return n == null ? 0 : n;
    }
}
