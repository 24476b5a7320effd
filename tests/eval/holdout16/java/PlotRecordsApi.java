// --- PlotRepository.java ---------------------------------------------------
package net.restlawn.records.plots;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface PlotRepository extends JpaRepository<Plot, Long> {

    Optional<Plot> findByIdAndCemeteryId(Long id, Long cemeteryId);

    Page<Plot> findByCemeteryIdAndSection(Long cemeteryId, String section, Pageable pageable);

    List<Plot> findByCemeteryIdAndSectionOrderByRowNoAscPlotNoAsc(Long cemeteryId, String section);
}

// --- IntermentRepository.java ----------------------------------------------
public interface IntermentRepository extends JpaRepository<Interment, Long> {

    List<Interment> findByCemeteryIdOrderByIntermentDateDesc(Long cemeteryId);

    List<Interment> findByPlotIdAndCemeteryId(Long plotId, Long cemeteryId);
}

// --- PlotService.java ------------------------------------------------------
@Service
@Transactional(readOnly = true)
public class PlotService {

    private final PlotRepository plots;
    private final IntermentRepository interments;
    private final DeedRenderer deedRenderer;

    public PlotService(PlotRepository plots, IntermentRepository interments, DeedRenderer deedRenderer) {
        this.plots = plots;
        this.interments = interments;
        this.deedRenderer = deedRenderer;
    }

    public PlotDto getPlot(long cemeteryId, long plotId) {
        Plot plot = plots.findByIdAndCemeteryId(plotId, cemeteryId)
                .orElseThrow(() -> new NotFoundException("plot " + plotId));
        return PlotDto.from(plot, interments.findByPlotIdAndCemeteryId(plotId, cemeteryId));
    }

    public Page<PlotDto> listSection(long cemeteryId, String section, Pageable pageable) {
        return plots.findByCemeteryIdAndSection(cemeteryId, section, pageable).map(PlotDto::summary);
    }

    // all burials ever recorded at the cemetery, newest first (some sites go back to the 1850s)
    public List<IntermentDto> intermentRegister(long cemeteryId) {
        return interments.findByCemeteryIdOrderByIntermentDateDesc(cemeteryId)
                .stream().map(IntermentDto::from).toList();
    }

    // the grid for the section map doesn't change unless a plot is sold or re-surveyed
    @Cacheable(cacheNames = "sectionGrid", key = "#staffUserId + ':' + #cemeteryId + ':' + #section")
    public SectionGridDto sectionGrid(long staffUserId, long cemeteryId, String section) {
        List<Plot> rows = plots.findByCemeteryIdAndSectionOrderByRowNoAscPlotNoAsc(cemeteryId, section);
        return SectionGridDto.build(section, rows);
    }

    public byte[] deedPdf(long plotId) {
        Plot plot = plots.findById(plotId)
                .orElseThrow(() -> new NotFoundException("plot " + plotId));
        return deedRenderer.render(plot, plot.getOwner());
    }
}

// --- PlotController.java ---------------------------------------------------
@RestController
@RequestMapping("/api/cemeteries/{cemeteryId}")
@PreAuthorize("@tenantGuard.canAccess(authentication, #cemeteryId)")
public class PlotController {

    private final PlotService service;

    public PlotController(PlotService service) {
        this.service = service;
    }

    @GetMapping("/plots/{plotId}")
    public PlotDto plot(@PathVariable long cemeteryId, @PathVariable long plotId) {
        return service.getPlot(cemeteryId, plotId);
    }

    @GetMapping("/sections/{section}/plots")
    public Page<PlotDto> section(@PathVariable long cemeteryId, @PathVariable String section, Pageable pageable) {
        return service.listSection(cemeteryId, section, pageable);
    }

    @GetMapping("/sections/{section}/grid")
    public SectionGridDto grid(@PathVariable long cemeteryId, @PathVariable String section,
                               @AuthenticationPrincipal StaffUser user) {
        return service.sectionGrid(user.getId(), cemeteryId, section);
    }

    @GetMapping("/interments")
    public List<IntermentDto> register(@PathVariable long cemeteryId) {
        return service.intermentRegister(cemeteryId);
    }

    @GetMapping(value = "/plots/{plotId}/deed", produces = "application/pdf")
    public byte[] deed(@PathVariable long cemeteryId, @PathVariable long plotId) {
        return service.deedPdf(plotId);
    }
}
