package com.gavel.auctions.bidding;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

interface AuctionRepository extends JpaRepository<Auction, Long> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from Auction a where a.id = :id")
    Optional<Auction> findByIdForUpdate(@Param("id") Long id);
}

interface BidRepository extends JpaRepository<Bid, Long> {
    Page<Bid> findByAuctionId(Long auctionId, org.springframework.data.domain.Pageable pageable);
}

/**
 * Placing a bid: lock the auction row, validate against the current high bid, record the bid.
 * Two bidders racing on the same lot serialize on the row lock, so the second one sees the
 * first one's amount and gets "outbid" instead of silently overwriting it.
 */
@Service
public class BidService {

    private static final BigDecimal MIN_INCREMENT = new BigDecimal("1.00");

    private final AuctionRepository auctions;
    private final BidRepository bids;
    private final BidEventPublisher events;
    private final Clock clock;

    public BidService(AuctionRepository auctions, BidRepository bids, BidEventPublisher events, Clock clock) {
        this.auctions = auctions;
        this.bids = bids;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public BidResult placeBid(Long auctionId, Long bidderId, BigDecimal amount) {
        Auction auction = auctions.findByIdForUpdate(auctionId)
                .orElseThrow(() -> new AuctionNotFoundException(auctionId));

        Instant now = clock.instant();
        if (now.isAfter(auction.getEndsAt())) {
            return BidResult.closed();
        }
        BigDecimal minimum = auction.getCurrentBid() == null
                ? auction.getReservePrice()
                : auction.getCurrentBid().add(MIN_INCREMENT);
        if (amount.compareTo(minimum) < 0) {
            return BidResult.tooLow(minimum);
        }

        Long previousLeader = auction.getLeaderId();
        auction.setCurrentBid(amount);
        auction.setLeaderId(bidderId);
        // anti-sniping: a bid in the last 2 minutes extends the auction by 2 minutes
        if (auction.getEndsAt().minusSeconds(120).isBefore(now)) {
            auction.setEndsAt(now.plusSeconds(120));
        }
        bids.save(new Bid(auctionId, bidderId, amount, now));

        events.afterCommit(new BidPlaced(auctionId, bidderId, amount, previousLeader));
        return BidResult.accepted(amount, auction.getEndsAt());
    }

    @Transactional(readOnly = true)
    public Page<Bid> history(Long auctionId, int page) {
        return bids.findByAuctionId(auctionId,
                PageRequest.of(page, 50, Sort.by(Sort.Direction.DESC, "placedAt")));
    }
}
