// services/bids.js  (Sequelize 6)
// placeBid is called from POST /auctions/:id/bids

async function placeBid({ auctionId, bidderId, amountCents }) {
  return sequelize.transaction(async (t) => {
    // Row lock: concurrent bids on the same lot queue up here
    const auction = await Auction.findByPk(auctionId, {
      transaction: t,
      lock: t.LOCK.UPDATE,
    });
    if (!auction) throw new NotFoundError('auction');
    if (auction.status !== 'open' || auction.endsAt < new Date()) {
      throw new ConflictError('auction_closed');
    }

    const minNext = auction.currentBidCents + auction.incrementCents;
    if (amountCents < minNext) {
      throw new ConflictError(`bid must be at least ${minNext}`);
    }

    const bid = await Bid.create(
      { auctionId, bidderId, amountCents },
      { transaction: t }
    );

    auction.currentBidCents = amountCents;
    auction.leadingBidId = bid.id;
    auction.bidCount = auction.bidCount + 1;
    await auction.save({ transaction: t });

    return bid;
  });
}

module.exports = { placeBid };
