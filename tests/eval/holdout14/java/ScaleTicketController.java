package com.prairiegrain.elevator.web;

import com.prairiegrain.elevator.domain.ScaleTicket;
import com.prairiegrain.elevator.repo.ScaleTicketRepository;
import com.prairiegrain.elevator.service.GradeService;
import com.prairiegrain.elevator.service.PdfRenderer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.*;

import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

// scale house + office UI. app sits behind the F5 (30s idle timeout)
@Controller
@RequestMapping("/tickets")
public class ScaleTicketController {

    @Autowired ScaleTicketRepository ticketRepo;
    @Autowired GradeService gradeService;
    @Autowired PdfRenderer pdf;

    // basis lookups are slow (goes to the pricing desk db)
    private static final Map<String, BigDecimal> basisCache = new HashMap<>();

    @GetMapping(produces = "application/json")
    @ResponseBody
    public List<ScaleTicket> all() {
        return ticketRepo.findAll();
    }

    @GetMapping(value = "/{id}", produces = "application/json")
    @ResponseBody
    public ScaleTicket one(@PathVariable Long id) {
        return ticketRepo.findById(id).orElse(null);
    }

    @GetMapping("/{id}/settlement")
    @ResponseBody
    public Map<String, Object> settlement(@PathVariable Long id) {
        ScaleTicket t = ticketRepo.findById(id).orElseThrow();
        BigDecimal basis = basisFor(t.getCommodity(), t.getDeliveredOn());
        BigDecimal price = t.getFuturesPrice().add(basis);
        Map<String, Object> m = new HashMap<>();
        m.put("ticket", t.getTicketNo());
        m.put("netBushels", t.getNetBushels());
        m.put("price", price);
        m.put("amount", price.multiply(t.getNetBushels()));
        return m;
    }

    // year-end statements for a grower: one pdf per ticket, zipped
    @GetMapping("/statements")
    public void statements(@RequestParam Long growerId, @RequestParam int cropYear,
                           HttpServletResponse resp) throws IOException {
        resp.setContentType("application/zip");
        resp.setHeader("Content-Disposition", "attachment; filename=statements-" + cropYear + ".zip");
        List<ScaleTicket> tickets = ticketRepo.findByGrowerIdAndCropYear(growerId, cropYear);
        try (ZipOutputStream zip = new ZipOutputStream(resp.getOutputStream())) {
            for (ScaleTicket t : tickets) {
                BigDecimal basis = basisFor(t.getCommodity(), t.getDeliveredOn());
                byte[] doc = pdf.renderSettlement(t, basis);   // ~1-2s each, growers haul 300+ loads a season
                zip.putNextEntry(new ZipEntry("ticket-" + t.getTicketNo() + ".pdf"));
                zip.write(doc);
                zip.closeEntry();
            }
        }
    }

    private BigDecimal basisFor(String commodity, LocalDate day) {
        String k = commodity + "|" + day;
        BigDecimal b = basisCache.get(k);
        if (b == null) {
            b = gradeService.lookupBasis(commodity, day);
            basisCache.put(k, b);
        }
        return b;
    }
}
