'use strict';

// Robe loans for St Aldhelm's village choir. Members borrow a robe for the
// season (or a single service); the wardrobe secretary sees who has what.
// Express + Sequelize, models defined in ../models.

const express = require('express');
const { Op } = require('sequelize');
const { sequelize, Robe, RobeLoan, LoanAudit, Member } = require('../models');
const { requireMember } = require('../middleware/auth');

const router = express.Router();
router.use(requireMember);

const LOAN_KINDS = ['season', 'service'];

router.post('/robes/:robeId/loans', async (req, res, next) => {
  const robeId = Number(req.params.robeId);
  const kind = LOAN_KINDS.includes(req.body.kind) ? req.body.kind : 'service';

  try {
    const robe = await Robe.findByPk(robeId, { attributes: ['id', 'size', 'colour', 'retired'] });
    if (!robe || robe.retired) {
      return res.status(404).json({ error: 'Robe not found' });
    }

    // One open loan per robe: an open loan has no returnedAt yet.
    const openLoan = await RobeLoan.findOne({ where: { robeId, returnedAt: null } });
    if (openLoan) {
      return res.status(409).json({
        error: 'Robe is already out',
        borrowedBy: openLoan.memberId,
        since: openLoan.createdAt,
      });
    }

    const loan = await RobeLoan.create({
      robeId,
      memberId: req.member.id,
      kind,
      dueBack: kind === 'season' ? seasonEnd() : nextWeek(),
    });

    try {
      await LoanAudit.create({ loanId: loan.id, action: 'issued', actorId: req.member.id });
    } catch (e) {
      // audit trail is nice-to-have; never block a loan on it
    }

    return res.status(201).json(loan);
  } catch (err) {
    return next(err);
  }
});

router.post('/loans/:loanId/return', async (req, res, next) => {
  try {
    const [updated] = await RobeLoan.update(
      { returnedAt: new Date(), condition: req.body.condition || 'ok' },
      { where: { id: req.params.loanId, returnedAt: null } }
    );
    if (updated === 0) {
      return res.status(409).json({ error: 'Loan already returned or unknown' });
    }
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

// Overdue list for the wardrobe secretary, oldest first, one page at a time.
router.get('/loans/overdue', async (req, res, next) => {
  const page = Math.max(0, Number(req.query.page) || 0);
  try {
    const loans = await RobeLoan.findAll({
      where: { returnedAt: null, dueBack: { [Op.lt]: new Date() } },
      include: [{ model: Member, attributes: ['id', 'name', 'voicePart'] }],
      order: [['dueBack', 'ASC']],
      limit: 50,
      offset: page * 50,
    });
    return res.json({ page, loans });
  } catch (err) {
    return next(err);
  }
});

function seasonEnd() {
  const now = new Date();
  const year = now.getMonth() >= 8 ? now.getFullYear() + 1 : now.getFullYear();
  return new Date(year, 6, 31);
}

function nextWeek() {
  return new Date(Date.now() + 7 * 24 * 3600 * 1000);
}

module.exports = router;
