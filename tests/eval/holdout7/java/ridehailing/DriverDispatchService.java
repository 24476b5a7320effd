// Here's a production-ready dispatch service for assigning drivers to ride requests.
// It uses Spring Data JPA for persistence and the Google Maps Geocoding API for pickup lookups.
// Geocoding results are cached so repeated pickup addresses don't cost an extra API call.

package com.swiftride.dispatch;

import com.swiftride.dispatch.exception.DriverUnavailableException;
import com.swiftride.dispatch.exception.RideNotFoundException;
import com.swiftride.dispatch.maps.GeoPoint;
import com.swiftride.dispatch.maps.GeocodeResponse;
import com.swiftride.dispatch.model.Driver;
import com.swiftride.dispatch.model.DriverStatus;
import com.swiftride.dispatch.model.Ride;
import com.swiftride.dispatch.model.RideStatus;
import com.swiftride.dispatch.repo.DriverRepository;
import com.swiftride.dispatch.repo.RideRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assigns the best available driver to an incoming ride request.
 *
 * <p>Thread-safe: the geocode cache is a {@link ConcurrentHashMap} and all database
 * work happens inside Spring-managed transactions.</p>
 */
@Service
public class DriverDispatchService {

    private static final Logger log = LoggerFactory.getLogger(DriverDispatchService.class);
    private static final double EARTH_RADIUS_KM = 6371.0;

    private final DriverRepository driverRepository;
    private final RideRepository rideRepository;
    private final RestTemplate restTemplate = new RestTemplate();
    private final Map<String, GeoPoint> geocodeCache = new ConcurrentHashMap<>();

    @Value("${maps.api.key}")
    private String mapsApiKey;

    public DriverDispatchService(DriverRepository driverRepository, RideRepository rideRepository) {
        this.driverRepository = driverRepository;
        this.rideRepository = rideRepository;
    }

    /**
     * Resolves a free-text pickup address to coordinates, memoised per normalised address.
     */
    public GeoPoint geocode(String address) {
        return geocodeCache.computeIfAbsent(address.trim().toLowerCase(), key -> {
            String url = UriComponentsBuilder
                    .fromHttpUrl("https://maps.googleapis.com/maps/api/geocode/json")
                    .queryParam("address", key)
                    .queryParam("key", mapsApiKey)
                    .toUriString();
            GeocodeResponse resp = restTemplate.getForObject(url, GeocodeResponse.class);
            if (resp == null || resp.results().isEmpty()) {
                throw new IllegalArgumentException("Could not geocode address: " + address);
            }
            return resp.results().get(0).geometry().location();
        });
    }

    /**
     * Suggests the closest available drivers for a pickup point (by straight-line distance).
     */
    @Transactional(readOnly = true)
    public List<Driver> nearestDrivers(String city, GeoPoint pickup, int limit) {
        return driverRepository.findByCityAndStatus(city, DriverStatus.AVAILABLE).stream()
                .sorted(Comparator.comparingDouble(d -> haversineKm(pickup, d.getLastKnownLocation())))
                .limit(limit)
                .toList();
    }

    /**
     * Called when a driver taps "Accept" in the driver app.
     */
    @Transactional
    public Ride acceptRide(Long rideId, Long driverId) {
        Ride ride = rideRepository.findById(rideId)
                .orElseThrow(() -> new RideNotFoundException(rideId));
        Driver driver = driverRepository.findById(driverId)
                .orElseThrow(() -> new DriverUnavailableException(driverId));

        if (driver.getStatus() != DriverStatus.AVAILABLE || ride.getStatus() != RideStatus.REQUESTED) {
            throw new DriverUnavailableException(driverId);
        }

        driver.setStatus(DriverStatus.ON_TRIP);
        driverRepository.save(driver);

        ride.setDriverId(driverId);
        ride.setStatus(RideStatus.ACCEPTED);
        log.info("Ride {} accepted by driver {}", rideId, driverId);
        return rideRepository.save(ride);
    }

    private static double haversineKm(GeoPoint a, GeoPoint b) {
        double dLat = Math.toRadians(b.lat() - a.lat());
        double dLng = Math.toRadians(b.lng() - a.lng());
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(a.lat())) * Math.cos(Math.toRadians(b.lat()))
                * Math.sin(dLng / 2) * Math.sin(dLng / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
    }
}
