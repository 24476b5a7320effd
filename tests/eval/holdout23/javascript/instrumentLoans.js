// Loan desk for the Millbrook Silver Band instrument store.
// Models: Instrument (serial, type, retired, needsRepair), Member,
// Loan (instrumentId, memberId, issuedAt, dueBack, returnedAt), ConditionReport.
// Called from the /loans routes; errors are mapped to HTTP codes there.

const LOAN_WEEKS = 12;

async function issueInstrument({ instrumentId, memberId, issuedBy }) {
  const instrument = await Instrument.findByPk(instrumentId);
  if (!instrument || instrument.retired) {
    throw new NotFoundError('instrument not found');
  }
  if (instrument.needsRepair) {
    throw new ConflictError(`${instrument.serial} is waiting for the repairer`);
  }

  const openLoan = await Loan.findOne({ where: { instrumentId, returnedAt: null } });
  if (openLoan) {
    throw new ConflictError(`${instrument.serial} is already out with member ${openLoan.memberId}`);
  }

  const dueBack = new Date();
  dueBack.setDate(dueBack.getDate() + LOAN_WEEKS * 7);

  const loan = await Loan.create({
    instrumentId,
    memberId,
    issuedBy,
    issuedAt: new Date(),
    dueBack,
  });

  logger.info({ loanId: loan.id, instrumentId, memberId }, 'instrument issued');
  return loan;
}

async function returnInstrument({ loanId, conditionNotes, receivedBy }) {
  // Only the first return of a loan wins; a second click at the desk is a no-op.
  const [updated] = await Loan.update(
    { returnedAt: new Date(), receivedBy },
    { where: { id: loanId, returnedAt: null } },
  );
  if (updated === 0) {
    throw new ConflictError('loan already returned or unknown');
  }

  const loan = await Loan.findByPk(loanId, { attributes: ['id', 'instrumentId', 'memberId'] });

  let flaggedForRepair = false;
  try {
    await ConditionReport.create({
      instrumentId: loan.instrumentId,
      loanId,
      notes: conditionNotes || '',
      receivedBy,
    });
    if (conditionNotes && /dent|crack|stuck valve|split/i.test(conditionNotes)) {
      await Instrument.update({ needsRepair: true }, { where: { id: loan.instrumentId } });
      flaggedForRepair = true;
    }
  } catch (reportErr) {
    // condition reports are nice-to-have; don't hold up the return desk
  }

  return { returned: true, flaggedForRepair };
}

async function overdueLoans({ page = 1, pageSize = 50 } = {}) {
  const limit = Math.min(pageSize, 100);
  return Loan.findAll({
    where: { returnedAt: null, dueBack: { [Op.lt]: new Date() } },
    include: [
      { model: Member, attributes: ['id', 'name', 'phone'] },
      { model: Instrument, attributes: ['id', 'serial', 'type'] },
    ],
    order: [['dueBack', 'ASC']],
    limit,
    offset: (page - 1) * limit,
  });
}

module.exports = { issueInstrument, returnInstrument, overdueLoans };
