package com.drivenow.rental.reservation;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

interface VehicleRepository extends JpaRepository<Vehicle, Long> {

    @Modifying
    @Query("update Vehicle v set v.status = 'RESERVED', v.reservedBy = :customerId "
            + "where v.id = :id and v.status = 'AVAILABLE'")
    int reserveIfAvailable(@Param("id") Long id, @Param("customerId") Long customerId);
}

@Service
public class ReservationService {

    private static final Logger log = LoggerFactory.getLogger(ReservationService.class);

    private final VehicleRepository vehicles;
    private final ReservationRepository reservations;
    private final ObjectMapper mapper;

    // one client for the whole app; dynamic-pricing service sits in the same VPC
    private final HttpClient pricingClient = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    // quotes depend on (branch, class, pickup date) only; 20k entries is plenty
    private final Cache<String, BigDecimal> dailyRates = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofMinutes(15))
            .build();

    public ReservationService(VehicleRepository vehicles, ReservationRepository reservations, ObjectMapper mapper) {
        this.vehicles = vehicles;
        this.reservations = reservations;
        this.mapper = mapper;
    }

    @Transactional
    public Reservation reserve(Long vehicleId, Long customerId, LocalDate from, LocalDate to) {
        Vehicle vehicle = vehicles.findById(vehicleId)
                .orElseThrow(() -> new VehicleNotFoundException(vehicleId));
        BigDecimal rate = dailyRate(vehicle.getBranchCode(), vehicle.getVehicleClass(), from);

        // the WHERE status = 'AVAILABLE' makes this the real check; the read above is just for pricing
        int updated = vehicles.reserveIfAvailable(vehicleId, customerId);
        if (updated == 0) {
            throw new VehicleUnavailableException(vehicleId);
        }
        long days = Math.max(1, to.toEpochDay() - from.toEpochDay());
        return reservations.save(new Reservation(vehicleId, customerId, from, to, rate.multiply(BigDecimal.valueOf(days))));
    }

    BigDecimal dailyRate(String branch, String vehicleClass, LocalDate pickup) {
        String key = branch + "|" + vehicleClass + "|" + pickup;
        return dailyRates.get(key, k -> fetchRate(branch, vehicleClass, pickup));
    }

    private BigDecimal fetchRate(String branch, String vehicleClass, LocalDate pickup) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(
                        "http://pricing.internal/v1/rates?branch=" + branch + "&class=" + vehicleClass + "&date=" + pickup))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build();
        try {
            HttpResponse<String> resp = pricingClient.send(req, HttpResponse.BodyHandlers.ofString());
            return mapper.readTree(resp.body()).get("dailyRate").decimalValue();
        } catch (IOException e) {
            log.error("pricing lookup failed for {} {} {}", branch, vehicleClass, pickup, e);
            throw new PricingUnavailableException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PricingUnavailableException(e);
        }
    }
}
