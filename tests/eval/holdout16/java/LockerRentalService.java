package com.suds.lockers.rental;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.client.RestTemplate;

/**
 * Smart lockers at our laundromats: customers rent a locker for drop-off / pick-up
 * and get a 6-digit access code by SMS. Several app instances run this service.
 */
@Service
public class LockerRentalService {

    private static final Logger log = LoggerFactory.getLogger(LockerRentalService.class);
    private static final SecureRandom RNG = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final RestTemplate lockerGateway;

    public LockerRentalService(JdbcTemplate jdbc, RestTemplateBuilder builder) {
        this.jdbc = jdbc;
        this.lockerGateway = builder
                .rootUri("https://gw.lockerhub.example/v1")
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(4))
                .build();
    }

    @Transactional
    public String rent(long locationId, long lockerId, long customerId, Duration length) {
        Map<String, Object> locker = jdbc.queryForMap(
                "SELECT id, size, out_of_service FROM lockers WHERE id = ? AND location_id = ?",
                lockerId, locationId);
        if (Boolean.TRUE.equals(locker.get("out_of_service"))) {
            throw new LockerUnavailableException(lockerId);
        }

        OffsetDateTime until = OffsetDateTime.now().plus(length);
        int claimed = jdbc.update("""
                UPDATE lockers
                   SET renter_id = ?, rented_until = ?
                 WHERE id = ? AND location_id = ?
                   AND out_of_service = false
                   AND (renter_id IS NULL OR rented_until < now())
                """, customerId, until, lockerId, locationId);
        if (claimed == 0) {
            throw new LockerUnavailableException(lockerId);
        }

        String code = String.format("%06d", RNG.nextInt(1_000_000));
        jdbc.update("INSERT INTO locker_access_codes (locker_id, customer_id, code, expires_at) VALUES (?, ?, ?, ?)",
                lockerId, customerId, code, until);
        return code;
    }

    @Transactional
    public void extend(long locationId, long lockerId, long customerId, Duration extra) {
        int n = jdbc.update("""
                UPDATE lockers SET rented_until = rented_until + make_interval(secs => ?)
                 WHERE id = ? AND location_id = ? AND renter_id = ? AND rented_until > now()
                """, extra.toSeconds(), lockerId, locationId, customerId);
        if (n == 0) {
            throw new LockerUnavailableException(lockerId);
        }
        jdbc.update("UPDATE locker_access_codes SET expires_at = expires_at + make_interval(secs => ?) " +
                "WHERE locker_id = ? AND customer_id = ? AND expires_at > now()",
                extra.toSeconds(), lockerId, customerId);
    }

    public void openRemotely(long lockerId) {
        lockerGateway.postForEntity("/lockers/{id}/open", null, Void.class, lockerId);
    }

    // every instance may run this; the DELETE is idempotent so that's harmless
    @Scheduled(cron = "0 */10 * * * *")
    public void purgeExpiredCodes() {
        int removed = jdbc.update("DELETE FROM locker_access_codes WHERE expires_at < now() - interval '1 day'");
        if (removed > 0) {
            log.info("purged {} expired locker access codes", removed);
        }
    }
}
