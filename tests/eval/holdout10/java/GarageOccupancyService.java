package io.parkwise.gates.service;

import io.parkwise.gates.domain.Garage;
import io.parkwise.gates.domain.GateEvent;
import io.parkwise.gates.domain.ParkingTicket;
import io.parkwise.gates.repo.GarageRepository;
import io.parkwise.gates.repo.TicketRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handles entry/exit events coming from the ANPR cameras at the barrier gates.
 * gates-api runs as 3 pods (see helm/values-prod.yaml), each camera posts to the
 * ingress, so entry and exit for the same car can land on different pods.
 */
@Service
public class GarageOccupancyService {

    private final GarageRepository garages;
    private final TicketRepository tickets;
    private final TariffCalculator tariffs;

    // plate -> entry time, so the exit gate can price the stay without a DB round trip
    private final Map<String, Instant> openStays = new ConcurrentHashMap<>();

    public GarageOccupancyService(GarageRepository garages, TicketRepository tickets, TariffCalculator tariffs) {
        this.garages = garages;
        this.tickets = tickets;
        this.tariffs = tariffs;
    }

    @Transactional
    public void onEntry(GateEvent ev) {
        Garage g = garages.findById(ev.garageId()).orElseThrow();
        g.setOccupied(g.getOccupied() + 1);
        garages.save(g);

        openStays.put(ev.plate(), ev.at());
    }

    @Transactional
    public ParkingTicket onExit(GateEvent ev) {
        Instant enteredAt = openStays.remove(ev.plate());
        if (enteredAt == null) {
            // lost ticket: charge the daily maximum
            enteredAt = ev.at().minus(Duration.ofHours(24));
        }

        // @Modifying @Query("update Garage g set g.occupied = g.occupied - 1 where g.id = :id and g.occupied > 0")
        garages.decrementOccupied(ev.garageId());

        long cents = tariffs.priceCents(ev.garageId(), enteredAt, ev.at());
        return tickets.save(new ParkingTicket(ev.garageId(), ev.plate(), enteredAt, ev.at(), cents));
    }

    public int freeSpaces(long garageId) {
        Garage g = garages.findById(garageId).orElseThrow();
        return Math.max(0, g.getCapacity() - g.getOccupied());
    }
}
