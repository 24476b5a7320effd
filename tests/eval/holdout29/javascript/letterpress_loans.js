// Type loans for the letterpress studio.
// Members can borrow sorts (individual pieces of metal or wood type) from a font
// for a print job. Counts matter: a 36pt Caslon case only has 9 lowercase 'e's.

const express = require('express');
const { prisma } = require('../lib/prisma');

const router = express.Router();

async function findMemberByCard(cardNo) {
  try {
    return await prisma.member.findUnique({
      where: { cardNo },
      select: { id: true, name: true, inductedOn: true, suspended: true },
    });
  } catch (e) {
    return null;
  }
}

// POST /loans  { cardNo, fontId, sortCount, jobTitle }
router.post('/loans', async (req, res, next) => {
  const { cardNo, fontId, sortCount, jobTitle } = req.body;
  const member = await findMemberByCard(cardNo);
  if (!member || member.suspended) {
    return res.status(404).json({ error: 'no active member with that card' });
  }
  if (!member.inductedOn) {
    return res.status(403).json({ error: 'press induction required before borrowing type' });
  }

  try {
    const loan = await prisma.$transaction(async (tx) => {
      const taken = await tx.typeFont.updateMany({
        where: { id: fontId, sortsOnShelf: { gte: sortCount } },
        data: { sortsOnShelf: { decrement: sortCount } },
      });
      if (taken.count === 0) {
        const err = new Error('not enough sorts on the shelf');
        err.status = 409;
        throw err;
      }
      return tx.typeLoan.create({
        data: { memberId: member.id, fontId, sortCount, jobTitle, dueBack: addDays(new Date(), 14) },
      });
    });
    res.status(201).json(loan);
  } catch (err) {
    if (err.status === 409) return res.status(409).json({ error: err.message });
    next(err);
  }
});

// POST /loans/:id/return  { sortsReturned, conditionNote }
router.post('/loans/:id/return', async (req, res, next) => {
  const loanId = Number(req.params.id);
  const { sortsReturned, conditionNote } = req.body;

  try {
    const loan = await prisma.typeLoan.findUnique({ where: { id: loanId } });
    if (!loan) {
      return res.status(404).json({ error: 'loan not found' });
    }
    const back = Math.min(Number(sortsReturned), loan.sortCount);

    const closed = await prisma.typeLoan.updateMany({
      where: { id: loan.id, returnedAt: null },
      data: { returnedAt: new Date(), sortsReturned: back, conditionNote: conditionNote || null },
    });
    if (closed.count === 0) {
      return res.status(409).json({ error: 'loan already returned' });
    }

    const font = await prisma.typeFont.findUnique({ where: { id: loan.fontId } });
    await prisma.typeFont.update({
      where: { id: font.id },
      data: {
        sortsOnShelf: font.sortsOnShelf + back,
        sortsLost: font.sortsLost + (loan.sortCount - back),
      },
    });

    res.json({ returned: back, missing: loan.sortCount - back });
  } catch (err) {
    next(err);
  }
});

// GET /members/:cardNo/loans — open loans for the member's page.
router.get('/members/:cardNo/loans', async (req, res, next) => {
  try {
    const loans = await prisma.typeLoan.findMany({
      where: { member: { cardNo: req.params.cardNo }, returnedAt: null },
      include: { font: { select: { name: true, sizePt: true, material: true } } },
      orderBy: { dueBack: 'asc' },
      take: 50,
    });
    res.json(loans);
  } catch (err) {
    next(err);
  }
});

function addDays(d, n) {
  const copy = new Date(d);
  copy.setDate(copy.getDate() + n);
  return copy;
}

module.exports = router;
