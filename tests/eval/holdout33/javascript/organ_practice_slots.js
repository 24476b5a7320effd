// routes/organSlots.js
// Practice slots on the church organs across the benefice (five parishes share
// one booking site). Organ scholars and visiting organists book one-hour slots.
//
// schema.prisma (excerpt)
//   model PracticeSlotBooking {
//     id         String   @id @default(cuid())
//     churchId   String
//     organId    String
//     startsAt   DateTime
//     organistId String
//     createdAt  DateTime @default(now())
//     @@unique([organId, startsAt])
//     @@index([churchId, startsAt])
//   }
const express = require('express');
const { Prisma } = require('@prisma/client');
const prisma = require('../lib/prisma'); // single PrismaClient for the process
const logger = require('../lib/logger');
const { requireOrganist } = require('../middleware/auth');

const router = express.Router();
const MAX_PAGE = 50;

function startOfHour(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  d.setUTCMinutes(0, 0, 0);
  return d;
}

router.get('/churches/:churchId/slots', requireOrganist, async (req, res, next) => {
  const take = Math.min(Number(req.query.limit) || 20, MAX_PAGE);
  const cursor = req.query.cursor ? { id: String(req.query.cursor) } : undefined;
  try {
    const bookings = await prisma.practiceSlotBooking.findMany({
      where: { churchId: req.params.churchId, startsAt: { gte: new Date() } },
      select: { id: true, organId: true, startsAt: true, organist: { select: { displayName: true } } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take: take + 1,
      ...(cursor && { cursor, skip: 1 }),
    });
    const hasMore = bookings.length > take;
    const page = bookings.slice(0, take);
    res.json({ bookings: page, nextCursor: hasMore ? page[page.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

router.post('/churches/:churchId/slots', requireOrganist, async (req, res, next) => {
  const startsAt = startOfHour(req.body.startsAt);
  if (!startsAt || startsAt < new Date()) {
    return res.status(400).json({ error: 'Pick a future hour' });
  }

  try {
    const organ = await prisma.organ.findFirst({
      where: { id: req.body.organId, churchId: req.params.churchId },
      select: { id: true },
    });
    if (!organ) {
      return res.status(404).json({ error: 'No such organ in this church' });
    }

    // The unique index on (organId, startsAt) decides who gets the slot; we do
    // not look first and insert second.
    const booking = await prisma.practiceSlotBooking.create({
      data: {
        churchId: req.params.churchId,
        organId: organ.id,
        startsAt,
        organistId: req.user.organistId,
      },
    });
    res.status(201).json({ booking });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return res.status(409).json({ error: 'Someone has just booked that hour' });
    }
    logger.error({ err, churchId: req.params.churchId }, 'organ slot booking failed');
    next(err);
  }
});

router.delete('/churches/:churchId/slots/:id', requireOrganist, async (req, res, next) => {
  try {
    const { count } = await prisma.practiceSlotBooking.deleteMany({
      where: { id: req.params.id, churchId: req.params.churchId, organistId: req.user.organistId },
    });
    if (count === 0) return res.status(404).json({ error: 'Booking not found' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
