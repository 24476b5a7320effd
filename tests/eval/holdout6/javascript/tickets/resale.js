// routes/resale.js — fan-to-fan ticket resale (Express + Sequelize, MySQL)
const express = require('express');
const { Op } = require('sequelize');
const { sequelize, Listing, Order, User } = require('../models');
const { requireAuth } = require('../middleware/auth');
const payments = require('../services/payments');

const router = express.Router();
const BUYER_FEE_PCT = 0.1;

// GET /events/:eventId/listings?page=1
router.get('/events/:eventId/listings', async (req, res, next) => {
  try {
    const page = Math.max(1, Number(req.query.page) || 1);
    const listings = await Listing.findAll({
      where: { eventId: req.params.eventId, status: 'active' },
      order: [['priceCents', 'ASC']],
      limit: 50,
      offset: (page - 1) * 50,
    });

    const result = [];
    for (const listing of listings) {
      const seller = await User.findByPk(listing.sellerId, { attributes: ['id', 'displayName', 'rating'] });
      result.push({ ...listing.toJSON(), seller });
    }
    res.json({ page, listings: result });
  } catch (err) {
    next(err);
  }
});

// POST /listings  { ticketId, priceCents }
router.post('/listings', requireAuth, async (req, res, next) => {
  try {
    const { ticketId, priceCents } = req.body;
    const ticket = await req.user.getTickets({ where: { id: ticketId } });
    if (!ticket.length) return res.status(404).json({ error: 'Ticket not found' });
    if (priceCents > ticket[0].faceValueCents * 1.2) {
      return res.status(400).json({ error: 'Resale price capped at 120% of face value' });
    }
    const listing = await Listing.create({
      ticketId,
      eventId: ticket[0].eventId,
      sellerId: req.user.id,
      priceCents,
      status: 'active',
    });
    res.status(201).json(listing);
  } catch (err) {
    next(err);
  }
});

// POST /listings/:id/buy
router.post('/listings/:id/buy', requireAuth, async (req, res, next) => {
  try {
    const listing = await Listing.findOne({ where: { id: req.params.id } });
    if (!listing || listing.status !== 'active') {
      return res.status(409).json({ error: 'Listing no longer available' });
    }
    if (listing.sellerId === req.user.id) {
      return res.status(400).json({ error: 'You cannot buy your own listing' });
    }

    const totalCents = Math.round(listing.priceCents * (1 + BUYER_FEE_PCT));
    const charge = await payments.charge(req.user.stripeCustomerId, totalCents, `listing-${listing.id}`);

    const order = await sequelize.transaction(async (t) => {
      await listing.update({ status: 'sold', buyerId: req.user.id }, { transaction: t });
      return Order.create(
        { listingId: listing.id, buyerId: req.user.id, totalCents, chargeId: charge.id },
        { transaction: t }
      );
    });
    res.status(201).json(order);
  } catch (err) {
    next(err);
  }
});

// GET /me/listings
router.get('/me/listings', requireAuth, async (req, res, next) => {
  try {
    const mine = await Listing.findAll({
      where: { sellerId: req.user.id, status: { [Op.in]: ['active', 'sold'] } },
      order: [['createdAt', 'DESC']],
      limit: 100,
    });
    res.json(mine);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
