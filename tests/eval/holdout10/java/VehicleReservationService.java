// You're right that the original version could double-book a car: two requests could both
// read status = AVAILABLE before either of them wrote RESERVED. Here's the fixed version.
//
// What changed:
//  1. The vehicle row is locked with SELECT ... FOR UPDATE inside the transaction, so the
//     second request waits until the first one commits and then sees RESERVED.
//  2. The licence check uses a shared HttpClient with a connect timeout, and every request
//     has its own timeout, so a slow DMV API can't pin request threads.
//  3. Failures are logged with context and rethrown instead of being swallowed.

package com.rentora.reservations;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class VehicleReservationService {

    private static final Logger log = LoggerFactory.getLogger(VehicleReservationService.class);

    private final JdbcTemplate jdbc;
    private final HttpClient licenceApi;
    private final URI licenceCheckUri;

    public VehicleReservationService(JdbcTemplate jdbc, ReservationProperties props) {
        this.jdbc = jdbc;
        this.licenceCheckUri = props.licenceCheckUri();
        this.licenceApi = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Transactional
    public long reserve(long branchId, long vehicleId, long customerId, LocalDate from, LocalDate to) {
        verifyLicence(customerId);

        String status;
        try {
            status = jdbc.queryForObject(
                    "SELECT status FROM vehicles WHERE id = ? AND branch_id = ? FOR UPDATE",
                    String.class, vehicleId, branchId);
        } catch (EmptyResultDataAccessException e) {
            throw new VehicleNotFoundException(vehicleId);
        }

        if (!"AVAILABLE".equals(status)) {
            throw new VehicleUnavailableException(vehicleId, status);
        }

        jdbc.update("UPDATE vehicles SET status = 'RESERVED' WHERE id = ? AND branch_id = ?", vehicleId, branchId);

        return jdbc.queryForObject("""
                INSERT INTO reservations (branch_id, vehicle_id, customer_id, pickup_date, return_date)
                VALUES (?, ?, ?, ?, ?)
                RETURNING id
                """, Long.class, branchId, vehicleId, customerId, from, to);
    }

    private void verifyLicence(long customerId) {
        HttpRequest req = HttpRequest.newBuilder(licenceCheckUri.resolve("/v1/licences/" + customerId))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            HttpResponse<String> resp = licenceApi.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200 || !resp.body().contains("\"valid\":true")) {
                throw new LicenceRejectedException(customerId);
            }
        } catch (IOException e) {
            log.error("licence check failed for customer {}", customerId, e);
            throw new LicenceCheckUnavailableException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LicenceCheckUnavailableException(e);
        }
    }
}
