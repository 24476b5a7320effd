package org.bonsaisociety.exhibits.web;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.web.bind.annotation.*;

/**
 * Public exhibit catalogue for each regional bonsai society's annual show.
 * The society is the tenant; every query is scoped by societyId.
 */
@RestController
@RequestMapping("/societies/{societyId}/exhibits")
public class BonsaiExhibitController {

    public interface ExhibitRepository extends JpaRepository<Exhibit, Long> {
        Page<Exhibit> findBySocietyIdAndShowYear(long societyId, int showYear, Pageable pageable);

        @Query("select e.species as species, count(e) as total from Exhibit e "
                + "where e.societyId = :societyId and e.showYear = :year group by e.species")
        List<SpeciesCount> speciesBreakdown(@Param("societyId") long societyId, @Param("year") int year);
    }

    public interface SpeciesCount {
        String getSpecies();
        long getTotal();
    }

    private static final int MAX_PAGE_SIZE = 50;

    private final ExhibitRepository exhibits;

    // Small, bounded cache: one entry per (society, year); the breakdown only
    // changes when judges publish results, so ten minutes of staleness is fine.
    private final Cache<String, List<SpeciesCount>> breakdownCache = Caffeine.newBuilder()
            .maximumSize(500)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public BonsaiExhibitController(ExhibitRepository exhibits) {
        this.exhibits = exhibits;
    }

    @GetMapping
    public Page<Exhibit> list(@PathVariable long societyId,
                              @RequestParam int year,
                              @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "20") int size) {
        Pageable pageable = PageRequest.of(Math.max(page, 0),
                Math.min(Math.max(size, 1), MAX_PAGE_SIZE),
                Sort.by("catalogueNumber"));
        return exhibits.findBySocietyIdAndShowYear(societyId, year, pageable);
    }

    @GetMapping("/species")
    public List<SpeciesCount> species(@PathVariable long societyId, @RequestParam int year) {
        // Caffeine's get(key, loader) runs the loader once per key; concurrent
        // callers for the same key wait for that single load.
        return breakdownCache.get(societyId + ":" + year,
                k -> exhibits.speciesBreakdown(societyId, year));
    }
}
