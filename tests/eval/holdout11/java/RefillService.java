@Service
@RequiredArgsConstructor
public class RefillService {

    private static final Logger log = LoggerFactory.getLogger(RefillService.class);

    // "ndcA|ndcB" -> interaction result from the clinical rules API
    private static final Map<String, InteractionResult> interactionCache = new ConcurrentHashMap<>();

    private final PrescriptionRepository prescriptionRepository;
    private final RefillHoldRepository holdRepository;
    private final MedicationProfileRepository profileRepository;
    private final WebClient clinicalRulesClient;

    /**
     * Patient taps "Refill" in the app. Decrements the remaining refills on the
     * prescription and places the fill on the pickup shelf of the chosen store.
     */
    @Transactional
    public RefillResponse requestRefill(long patientId, long prescriptionId, long pharmacyId) {
        Prescription rx = prescriptionRepository.findByIdAndPatientId(prescriptionId, patientId)
                .orElseThrow(() -> new NotFoundException("prescription " + prescriptionId));

        int remaining = rx.getRefillsRemaining();
        if (remaining <= 0) {
            throw new NoRefillsRemainingException(rx.getId());
        }

        List<String> activeNdcs = profileRepository.findActiveNdcsForPatient(patientId);
        Optional<InteractionResult> blocking = interactionsFor(rx.getNdc(), activeNdcs).stream()
                .filter(ir -> ir.severity() == Severity.CONTRAINDICATED)
                .findFirst();
        if (blocking.isPresent()) {
            return RefillResponse.needsPharmacistReview(rx.getId(), blocking.get().summary());
        }

        rx.setRefillsRemaining(remaining - 1);
        rx.setLastFilledAt(Instant.now());
        prescriptionRepository.save(rx);

        RefillHold hold = new RefillHold();
        hold.setPrescriptionId(rx.getId());
        hold.setPatientId(patientId);
        hold.setPharmacyId(pharmacyId);
        hold.setHoldUntil(Instant.now().plus(Duration.ofDays(10)));   // return-to-stock after 10 days
        holdRepository.save(hold);

        log.info("refill placed rx={} pharmacy={} remaining={}", rx.getId(), pharmacyId, remaining - 1);
        return RefillResponse.placed(hold.getId(), remaining - 1);
    }

    private List<InteractionResult> interactionsFor(String ndc, List<String> others) {
        List<String> missing = others.stream()
                .filter(o -> !interactionCache.containsKey(pairKey(ndc, o)))
                .toList();
        if (!missing.isEmpty()) {
            InteractionResult[] fetched = clinicalRulesClient.post()
                    .uri("/v2/interactions/batch")
                    .bodyValue(Map.of("ndc", ndc, "against", missing))
                    .retrieve()
                    .bodyToMono(InteractionResult[].class)
                    .block(Duration.ofSeconds(3));
            for (InteractionResult r : fetched) {
                interactionCache.put(pairKey(r.ndcA(), r.ndcB()), r);
            }
        }
        return others.stream()
                .map(o -> interactionCache.get(pairKey(ndc, o)))
                .filter(Objects::nonNull)
                .toList();
    }

    private static String pairKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    @Transactional(readOnly = true)
    public List<PickupItem> shelfForPharmacy(long pharmacyId) {
        return holdRepository.findActiveShelf(pharmacyId, Instant.now());
    }
}

public interface RefillHoldRepository extends JpaRepository<RefillHold, Long> {

    @Query("""
           select new com.rxnow.refills.dto.PickupItem(h.id, p.patientName, p.drugName, h.holdUntil)
           from RefillHold h join Prescription p on p.id = h.prescriptionId
           where h.pharmacyId = :pharmacyId and h.holdUntil > :now and h.pickedUpAt is null
           order by h.holdUntil
           """)
    List<PickupItem> findActiveShelf(@Param("pharmacyId") long pharmacyId, @Param("now") Instant now);
}
