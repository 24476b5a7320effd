// Bat survey volunteer nights (emergence counts and transect walks) for county bat groups.
const express = require('express');
const { PrismaClient, Prisma } = require('@prisma/client');

// One client per process; Prisma pools connections underneath.
const prisma = new PrismaClient();
const router = express.Router();

class NightFullError extends Error {}

router.get('/groups/:groupId/nights', async (req, res, next) => {
  const groupId = req.params.groupId;
  const take = Math.min(Number(req.query.limit) || 20, 50);
  const cursor = req.query.cursor;
  try {
    const nights = await prisma.surveyNight.findMany({
      where: { groupId, startsAt: { gte: new Date() } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take: take + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, siteName: true, surveyType: true, startsAt: true, spacesLeft: true },
    });
    const hasMore = nights.length > take;
    const page = hasMore ? nights.slice(0, take) : nights;
    res.json({ nights: page, nextCursor: hasMore ? page[page.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

router.post('/groups/:groupId/nights/:nightId/volunteers', async (req, res, next) => {
  const { groupId, nightId } = req.params;
  const volunteerId = req.user.id;
  try {
    const signup = await prisma.$transaction(async (tx) => {
      // @@unique([nightId, volunteerId]) rejects a double sign-up with P2002.
      const created = await tx.nightSignup.create({
        data: { nightId, volunteerId, groupId, batDetector: Boolean(req.body.hasDetector) },
      });
      const { count } = await tx.surveyNight.updateMany({
        where: { id: nightId, groupId, spacesLeft: { gt: 0 } },
        data: { spacesLeft: { decrement: 1 } },
      });
      if (count === 0) throw new NightFullError();
      return created;
    });
    res.status(201).json({ id: signup.id });
  } catch (err) {
    if (err instanceof NightFullError) {
      return res.status(409).json({ error: 'That survey night is full' });
    }
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return res.status(409).json({ error: 'You are already down for that night' });
    }
    next(err);
  }
});

module.exports = router;
