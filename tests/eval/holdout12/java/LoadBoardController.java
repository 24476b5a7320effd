package com.haulwise.loadboard;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

interface LoadRepository extends JpaRepository<Load, Long> {
    Page<Load> findByBrokerageIdAndStatus(Long brokerageId, LoadStatus status, PageRequest page);
    List<Load> findByBrokerageIdOrderByPickupDateDesc(Long brokerageId);
    Optional<Load> findByIdAndBrokerageId(Long id, Long brokerageId);
}

// carriers are shared across brokerages (synced nightly from FMCSA census)
interface CarrierRepository extends JpaRepository<Carrier, Long> {
}

@Service
class LoadBoardService {

    private final LoadRepository loads;
    private final CarrierRepository carriers;

    LoadBoardService(LoadRepository loads, CarrierRepository carriers) {
        this.loads = loads;
        this.carriers = carriers;
    }

    @Transactional(readOnly = true)
    public List<LoadDto> openLoads(Long brokerageId, int page, int size) {
        Page<Load> p = loads.findByBrokerageIdAndStatus(brokerageId, LoadStatus.OPEN,
                PageRequest.of(page, Math.min(size, 100), Sort.by("pickupDate")));
        return toDtos(p.getContent());
    }

    @Transactional(readOnly = true)
    public List<LoadDto> history(Long brokerageId) {
        List<Load> all = loads.findByBrokerageIdOrderByPickupDateDesc(brokerageId);
        return toDtos(all);
    }

    @Transactional(readOnly = true)
    public LoadDto get(Long brokerageId, Long id) {
        Load l = loads.findByIdAndBrokerageId(id, brokerageId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return toDtos(List.of(l)).get(0);
    }

    @Transactional
    public LoadDto updateRate(Long brokerageId, Long id, BigDecimal rate) {
        Load l = loads.findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        l.setPostedRate(rate);
        return toDtos(List.of(l)).get(0);
    }

    private List<LoadDto> toDtos(List<Load> list) {
        List<LoadDto> out = new ArrayList<>(list.size());
        for (Load l : list) {
            Carrier c = l.getCarrierId() == null ? null : carriers.findById(l.getCarrierId()).orElse(null);
            out.add(new LoadDto(l.getId(), l.getOrigin(), l.getDestination(), l.getPickupDate(),
                    l.getEquipment(), l.getPostedRate(), c == null ? null : c.getLegalName(),
                    c == null ? null : c.getMcNumber()));
        }
        return out;
    }
}

@RestController
@RequestMapping("/api/loads")
class LoadBoardController {

    private final LoadBoardService service;

    LoadBoardController(LoadBoardService service) {
        this.service = service;
    }

    @GetMapping
    public List<LoadDto> open(@AuthenticationPrincipal BrokerUser user,
                              @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "50") int size) {
        return service.openLoads(user.getBrokerageId(), page, size);
    }

    // dispatchers use this for the "past loads" tab + csv download
    @GetMapping("/history")
    public List<LoadDto> history(@AuthenticationPrincipal BrokerUser user) {
        return service.history(user.getBrokerageId());
    }

    @GetMapping("/{id}")
    public LoadDto one(@AuthenticationPrincipal BrokerUser user, @PathVariable Long id) {
        return service.get(user.getBrokerageId(), id);
    }

    @PatchMapping("/{id}/rate")
    public LoadDto rate(@AuthenticationPrincipal BrokerUser user, @PathVariable Long id,
                        @RequestBody RateChange body) {
        return service.updateRate(user.getBrokerageId(), id, body.rate());
    }
}
