// Ploughing match competitor entries: several county ploughing societies share this
// deployment, every row carries society_id and the caller's society comes from the JWT.

@RestController
@RequestMapping("/api/matches/{matchId}/entries")
public class PloughingEntryController {

    private static final int MAX_PAGE_SIZE = 100;

    public record EntryDto(long id, String competitor, String tractorClass, Integer plotNo, Integer score) {}

    private final CompetitorEntryRepository entries;
    private final JudgeScoreRepository scores;

    public PloughingEntryController(CompetitorEntryRepository entries, JudgeScoreRepository scores) {
        this.entries = entries;
        this.scores = scores;
    }

    @GetMapping
    public Page<EntryDto> list(@PathVariable long matchId,
                               @AuthenticationPrincipal SocietyUser user,
                               @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "25") int size) {
        Pageable pageable = PageRequest.of(Math.max(page, 0), Math.min(Math.max(size, 1), MAX_PAGE_SIZE),
            Sort.by("plotNo").ascending());
        Page<CompetitorEntry> rows = entries.findBySocietyIdAndMatchId(user.getSocietyId(), matchId, pageable);

        // one query for the whole page's scores rather than one per entry
        List<Long> ids = rows.stream().map(CompetitorEntry::getId).toList();
        Map<Long, Integer> totals = ids.isEmpty() ? Map.of()
            : scores.totalsForEntries(user.getSocietyId(), ids).stream()
                .collect(Collectors.toMap(EntryTotal::entryId, EntryTotal::total));

        return rows.map(e -> new EntryDto(e.getId(), e.getCompetitor().getFullName(),
            e.getTractorClass().getName(), e.getPlotNo(), totals.get(e.getId())));
    }

    @GetMapping("/{entryId}")
    public EntryDto one(@PathVariable long matchId, @PathVariable long entryId,
                        @AuthenticationPrincipal SocietyUser user) {
        CompetitorEntry e = entries.findByIdAndSocietyIdAndMatchId(entryId, user.getSocietyId(), matchId)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        Integer total = scores.totalsForEntries(user.getSocietyId(), List.of(e.getId())).stream()
            .findFirst().map(EntryTotal::total).orElse(null);
        return new EntryDto(e.getId(), e.getCompetitor().getFullName(),
            e.getTractorClass().getName(), e.getPlotNo(), total);
    }
}

interface CompetitorEntryRepository extends JpaRepository<CompetitorEntry, Long> {

    // competitor and tractor class are fetched with the page, no lazy loads in the mapper
    @EntityGraph(attributePaths = {"competitor", "tractorClass"})
    Page<CompetitorEntry> findBySocietyIdAndMatchId(Long societyId, Long matchId, Pageable pageable);

    @EntityGraph(attributePaths = {"competitor", "tractorClass"})
    Optional<CompetitorEntry> findByIdAndSocietyIdAndMatchId(Long id, Long societyId, Long matchId);
}

record EntryTotal(Long entryId, Integer total) {}

interface JudgeScoreRepository extends JpaRepository<JudgeScore, Long> {

    @Query("""
        select new com.ploughingmatch.entries.EntryTotal(s.entry.id, cast(sum(s.points) as integer))
        from JudgeScore s
        where s.societyId = :societyId and s.entry.id in :entryIds
        group by s.entry.id
        """)
    List<EntryTotal> totalsForEntries(@Param("societyId") Long societyId,
                                      @Param("entryIds") Collection<Long> entryIds);
}
