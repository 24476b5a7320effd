// Parish magazine advert bookings (Sequelize). One deployment serves the
// whole benefice: each parish has its own magazine, advert sizes and prices,
// and every table below carries parishId.

const { Op } = require('sequelize');
const { AdvertSlot, AdvertBooking, Issue } = require('../models');

const SIZES = ['eighth', 'quarter', 'half', 'full'];

async function listUpcomingIssues(req, res, next) {
  try {
    const issues = await Issue.findAll({
      where: { parishId: req.parish.id, publishDate: { [Op.gte]: new Date() } },
      order: [['publishDate', 'ASC']],
      limit: 12,
    });
    res.json(issues);
  } catch (err) {
    next(err);
  }
}

// An advertiser books a position (e.g. "back cover", "inside page 3 top")
// in a given issue. Each position can only be sold once per issue.
async function bookAdvert(req, res, next) {
  const { issueId, position, size, artworkUrl } = req.body;
  if (!SIZES.includes(size)) return res.status(400).json({ error: 'unknown advert size' });

  try {
    const slot = await AdvertSlot.findOne({
      where: { parishId: req.parish.id, issueId, position },
    });
    if (!slot) return res.status(404).json({ error: 'no such position in this issue' });

    const taken = await AdvertBooking.findOne({ where: { slotId: slot.id, status: 'confirmed' } });
    if (taken) {
      return res.status(409).json({ error: 'That position has already been booked' });
    }

    const booking = await AdvertBooking.create({
      parishId: req.parish.id,
      slotId: slot.id,
      advertiserId: req.user.id,
      size,
      artworkUrl,
      pricePence: slot.pricePence,
      status: 'confirmed',
    });
    res.status(201).json(booking);
  } catch (err) {
    next(err);
  }
}

// Editor's view: every advert booked for an issue, for the layout sheet.
async function issueLayoutSheet(req, res, next) {
  try {
    const bookings = await AdvertBooking.findAll({
      include: [{ model: AdvertSlot, where: { issueId: req.params.issueId } }],
      order: [[AdvertSlot, 'pageNumber', 'ASC']],
      limit: 200,
    });
    res.json(bookings.map((b) => ({
      id: b.id,
      page: b.AdvertSlot.pageNumber,
      position: b.AdvertSlot.position,
      size: b.size,
      artworkUrl: b.artworkUrl,
    })));
  } catch (err) {
    next(err);
  }
}

async function cancelAdvert(req, res, next) {
  try {
    const [count] = await AdvertBooking.update(
      { status: 'cancelled' },
      { where: { id: req.params.bookingId, parishId: req.parish.id, advertiserId: req.user.id } }
    );
    if (count === 0) return res.status(404).json({ error: 'booking not found' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
}

module.exports = { listUpcomingIssues, bookAdvert, issueLayoutSheet, cancelAdvert };
