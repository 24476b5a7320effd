// Seaweed harvesting licences, shared by several harbour / coastal authorities.
// Every licence belongs to exactly one authority; officers only ever see their own.

interface SeaweedLicenceRepository extends JpaRepository<SeaweedLicence, Long> {

    Page<SeaweedLicence> findByAuthorityIdAndSeasonYear(long authorityId, int seasonYear, Pageable pageable);

    Optional<SeaweedLicence> findByIdAndAuthorityId(long id, long authorityId);

    /**
     * Records a landed harvest against the licence quota in one statement, so two returns
     * filed at the same moment (harvester app + harbour office) cannot both squeeze under the cap.
     */
    @Modifying
    @Query("UPDATE SeaweedLicence l SET l.landedKg = l.landedKg + :kg, l.lastReturnAt = CURRENT_TIMESTAMP "
            + "WHERE l.id = :id AND l.authorityId = :authorityId AND l.landedKg + :kg <= l.quotaKg")
    int addLanding(@Param("id") long id, @Param("authorityId") long authorityId, @Param("kg") BigDecimal kg);
}

@RestController
@RequestMapping("/api/licences")
class SeaweedLicenceController {

    private static final int MAX_PAGE_SIZE = 100;

    record LicenceSummary(long id, String holder, String species, String foreshore,
                          BigDecimal quotaKg, BigDecimal landedKg) {
        static LicenceSummary of(SeaweedLicence l) {
            return new LicenceSummary(l.getId(), l.getHolderName(), l.getSpecies(), l.getForeshoreArea(),
                    l.getQuotaKg(), l.getLandedKg());
        }
    }

    record LandingReturn(BigDecimal kg, String landedAt) {}

    private final SeaweedLicenceRepository licences;
    private final OfficerContext officer;

    SeaweedLicenceController(SeaweedLicenceRepository licences, OfficerContext officer) {
        this.licences = licences;
        this.officer = officer;
    }

    @GetMapping
    Page<LicenceSummary> list(@RequestParam int season,
                              @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "25") int size) {
        Pageable pageable = PageRequest.of(Math.max(page, 0), Math.min(Math.max(size, 1), MAX_PAGE_SIZE),
                Sort.by("holderName").ascending());
        return licences.findByAuthorityIdAndSeasonYear(officer.authorityId(), season, pageable)
                .map(LicenceSummary::of);
    }

    @GetMapping("/{id}")
    ResponseEntity<LicenceSummary> get(@PathVariable long id) {
        return licences.findByIdAndAuthorityId(id, officer.authorityId())
                .map(LicenceSummary::of)
                .map(ResponseEntity::ok)
                .orElse(ResponseEntity.notFound().build());
    }

    @PostMapping("/{id}/landings")
    @Transactional
    ResponseEntity<?> fileReturn(@PathVariable long id, @RequestBody LandingReturn body) {
        if (body.kg() == null || body.kg().signum() <= 0) {
            return ResponseEntity.badRequest().body(Map.of("error", "kg must be positive"));
        }
        int updated = licences.addLanding(id, officer.authorityId(), body.kg());
        if (updated == 0) {
            // Either not this authority's licence, or the landing would exceed the quota.
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "licence not found or quota exceeded"));
        }
        return ResponseEntity.noContent().build();
    }
}
