// You're right: in the original placeBid two bidders can both read currentBid = 4,000,
// both pass the minimum check, and whichever save() lands last wins, even if it's the
// lower bid. Here's a fixed version. Changes:
//
//   1. The lot row is loaded with a PESSIMISTIC_WRITE lock (SELECT ... FOR UPDATE), so
//      concurrent bids on the same lot are serialized inside the transaction.
//   2. Lot gets a @Version column as a second line of defence for any other code path
//      that updates lots without the lock.
//   3. Live updates go through Redis pub/sub instead of an in-memory emitter list, so
//      watchers connected to any of the 3 pods get the event.

public interface LotRepository extends JpaRepository<Lot, Long> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "3000"))
    @Query("select l from Lot l where l.id = :id")
    Optional<Lot> findByIdForUpdate(@Param("id") Long id);
}

@Service
@RequiredArgsConstructor
@Slf4j
public class BidService {

    private final LotRepository lots;
    private final BidRepository bids;
    private final StringRedisTemplate redis;
    private final ObjectMapper mapper;

    @Transactional
    public BidView placeBid(Long lotId, String bidder, BigDecimal amount) {
        Lot lot = lots.findByIdForUpdate(lotId)
                .orElseThrow(() -> new LotNotFoundException(lotId));

        if (lot.getClosesAt().isBefore(Instant.now())) {
            throw new BiddingClosedException(lotId);
        }
        BigDecimal minimum = lot.getCurrentBid().add(lot.getIncrement());
        if (amount.compareTo(minimum) < 0) {
            throw new BidTooLowException(lotId, minimum);
        }

        lot.setCurrentBid(amount);
        lot.setLeadingBidder(bidder);
        lot.setBidCount(lot.getBidCount() + 1);
        // no explicit save needed: the entity is managed and flushed on commit

        bids.save(new Bid(lotId, bidder, amount, Instant.now()));
        BidView view = new BidView(lotId, amount, lot.getBidCount());

        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                publish(view);
            }
        });
        return view;
    }

    private void publish(BidView view) {
        try {
            redis.convertAndSend("lot-bids:" + view.lotId(), mapper.writeValueAsString(view));
        } catch (JsonProcessingException e) {
            log.error("could not serialize bid event for lot {}", view.lotId(), e);
            throw new IllegalStateException("bid event serialization failed", e);
        }
    }
}

// And on the entity:
//
//   @Version
//   private long version;
//
// Each pod subscribes to "lot-bids:*" with a RedisMessageListenerContainer and forwards
// messages to the SseEmitters it holds locally.
