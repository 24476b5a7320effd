package uk.allotments.waterbutts.service;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

import uk.allotments.waterbutts.domain.AllotmentSite;
import uk.allotments.waterbutts.domain.PlotHolder;
import uk.allotments.waterbutts.domain.WaterButtOrder;
import uk.allotments.waterbutts.repo.AllotmentSiteRepository;
import uk.allotments.waterbutts.repo.PlotHolderRepository;
import uk.allotments.waterbutts.repo.WaterButtOrderRepository;

import static org.springframework.http.HttpStatus.NOT_FOUND;
import static org.springframework.http.HttpStatus.UNPROCESSABLE_ENTITY;

/**
 * Bulk water-butt orders for allotment sites. The council supplier delivers once per
 * "round" to each site's gate; plot holders pick theirs up from the site rep.
 */
@Service
public class WaterButtOrderService {

    private static final int MAX_BUTTS_PER_PLOT = 4;

    private final AllotmentSiteRepository siteRepository;
    private final WaterButtOrderRepository orderRepository;
    private final PlotHolderRepository plotHolderRepository;

    public WaterButtOrderService(AllotmentSiteRepository siteRepository,
                                 WaterButtOrderRepository orderRepository,
                                 PlotHolderRepository plotHolderRepository) {
        this.siteRepository = siteRepository;
        this.orderRepository = orderRepository;
        this.plotHolderRepository = plotHolderRepository;
    }

    public record ManifestLine(String plotNumber, String holderName, String phone, int butts, String capacity) {}

    @Transactional
    public WaterButtOrder placeOrder(long siteId, long plotHolderId, int butts, String capacityLitres) {
        if (butts < 1 || butts > MAX_BUTTS_PER_PLOT) {
            throw new ResponseStatusException(UNPROCESSABLE_ENTITY, "Between 1 and 4 butts per plot");
        }

        AllotmentSite site = siteRepository.findById(siteId)
                .orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "Unknown site"));

        // Running total shown to the site rep so they know how much gate space to clear.
        site.setButtsOnOrder(site.getButtsOnOrder() + butts);
        site.setLastOrderDate(LocalDate.now());
        siteRepository.save(site);

        WaterButtOrder order = new WaterButtOrder();
        order.setSite(site);
        order.setPlotHolderId(plotHolderId);
        order.setButts(butts);
        order.setCapacityLitres(capacityLitres);
        order.setDeliveryRound(site.getCurrentDeliveryRound());
        return orderRepository.save(order);
    }

    /**
     * Printable manifest the delivery driver gets for one site and one round.
     */
    @Transactional(readOnly = true)
    public List<ManifestLine> deliveryManifest(long siteId, int deliveryRound) {
        List<WaterButtOrder> orders =
                orderRepository.findBySiteIdAndDeliveryRoundOrderByCreatedAtAsc(siteId, deliveryRound);

        List<ManifestLine> lines = new ArrayList<>(orders.size());
        for (WaterButtOrder order : orders) {
            PlotHolder holder = plotHolderRepository.findById(order.getPlotHolderId())
                    .orElse(null);
            if (holder == null) {
                continue;
            }
            lines.add(new ManifestLine(
                    holder.getPlotNumber(),
                    holder.getDisplayName(),
                    holder.getPhone(),
                    order.getButts(),
                    order.getCapacityLitres()));
        }
        return lines;
    }

    @Transactional(readOnly = true)
    public int buttsOnOrder(long siteId) {
        return siteRepository.findById(siteId)
                .map(AllotmentSite::getButtsOnOrder)
                .orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "Unknown site"));
    }
}
