// You're right — the map endpoint was issuing one extra query per listing to load its photos
// (classic N+1). Below is the updated controller: the repository now uses a JOIN FETCH so the
// listings and their photos come back in a single query. I also added caching so repeated
// searches don't hit Postgres every time.

package com.homestead.listings.web;

import com.homestead.listings.domain.Listing;
import com.homestead.listings.domain.ListingRepository;
import com.homestead.listings.web.dto.*;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

import java.time.Duration;
import java.util.List;

@RestController
@RequestMapping("/api/listings")
public class ListingSearchController {

    private final ListingRepository listingRepository;
    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public ListingSearchController(ListingRepository listingRepository, StringRedisTemplate redis,
                                   JdbcTemplate jdbc, ObjectMapper mapper) {
        this.listingRepository = listingRepository;
        this.redis = redis;
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** Public search results (same for every visitor). */
    @GetMapping("/search")
    @Cacheable(cacheNames = "listingSearch", key = "#user.id + ':' + #city + ':' + #maxPrice + ':' + #page")
    public Page<ListingCard> search(@AuthenticationPrincipal AppUser user,
                                    @RequestParam String city,
                                    @RequestParam(defaultValue = "100000000") long maxPrice,
                                    @RequestParam(defaultValue = "0") int page) {
        return listingRepository
                .findByCityAndStatusAndPriceLessThanEqual(city, "ACTIVE", maxPrice,
                        PageRequest.of(page, 24, Sort.by("listedAt").descending()))
                .map(ListingCard::from);
    }

    /** Pins + thumbnails for the map view. */
    @GetMapping("/map/{city}")
    public List<MapPin> mapPins(@PathVariable String city) {
        List<Listing> listings = listingRepository.findActiveInCityWithPhotos(city);
        return listings.stream().map(MapPin::from).toList();
    }

    /** Neighbourhood stats panel shown on every listing page. */
    @GetMapping("/market/{zip}")
    public MarketStats marketStats(@PathVariable String zip) throws Exception {
        String key = "market-stats:" + zip;
        String cached = redis.opsForValue().get(key);
        if (cached != null) {
            return mapper.readValue(cached, MarketStats.class);
        }
        MarketStats stats = jdbc.queryForObject("""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s.sale_price)      AS median_price,
                       avg(s.sale_price / NULLIF(l.living_area_sqft, 0))               AS avg_price_sqft,
                       avg(s.closed_at::date - l.listed_at::date)                      AS avg_days_on_market,
                       count(*)                                                        AS sales_12m
                  FROM sales s
                  JOIN listings l ON l.id = s.listing_id
                 WHERE l.zip = ? AND s.closed_at > now() - interval '12 months'
                """, (rs, i) -> new MarketStats(zip, rs.getDouble(1), rs.getDouble(2),
                rs.getDouble(3), rs.getLong(4)), zip);
        redis.opsForValue().set(key, mapper.writeValueAsString(stats), Duration.ofMinutes(30));
        return stats;
    }
}

// --- ListingRepository.java (updated) ---
//
// public interface ListingRepository extends JpaRepository<Listing, Long> {
//
//     Page<Listing> findByCityAndStatusAndPriceLessThanEqual(String city, String status, long maxPrice, Pageable p);
//
//     @Query("select distinct l from Listing l left join fetch l.photos where l.city = :city and l.status = 'ACTIVE'")
//     List<Listing> findActiveInCityWithPhotos(@Param("city") String city);
// }
