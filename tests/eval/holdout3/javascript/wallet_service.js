// services/wallet.js
// Credit wallet used for pay-per-use API calls.
// All balance changes go through atomic Mongo operators so concurrent
// requests (we run 6 pods) can never overdraw or lose an update.

const mongoose = require('mongoose');
const logger = require('../lib/logger');

const walletSchema = new mongoose.Schema(
  {
    accountId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    balance: { type: Number, required: true, min: 0, default: 0 },
  },
  { timestamps: true }
);

const ledgerSchema = new mongoose.Schema(
  {
    accountId: { type: mongoose.Schema.Types.ObjectId, required: true, index: true },
    delta: Number,
    reason: String,
    requestId: { type: String, required: true, unique: true },
  },
  { timestamps: true }
);

const Wallet = mongoose.model('Wallet', walletSchema);
const LedgerEntry = mongoose.model('LedgerEntry', ledgerSchema);

class InsufficientFunds extends Error {}

async function charge(accountId, amount, requestId, reason = 'api_call') {
  // Conditional decrement: only matches if there is enough balance left
  const wallet = await Wallet.findOneAndUpdate(
    { accountId, balance: { $gte: amount } },
    { $inc: { balance: -amount } },
    { new: true }
  );

  if (!wallet) {
    throw new InsufficientFunds(`account ${accountId} has insufficient credits`);
  }

  try {
    await LedgerEntry.create({ accountId, delta: -amount, reason, requestId });
  } catch (err) {
    if (err.code === 11000) {
      // same requestId already charged: undo the decrement we just did
      await Wallet.updateOne({ accountId }, { $inc: { balance: amount } });
      logger.info({ requestId }, 'duplicate charge ignored');
      return { balance: wallet.balance + amount, duplicate: true };
    }
    logger.error({ err, accountId, requestId }, 'ledger write failed');
    throw err;
  }

  return { balance: wallet.balance, duplicate: false };
}

async function topUp(accountId, amount, requestId) {
  await LedgerEntry.create({ accountId, delta: amount, reason: 'top_up', requestId });
  const wallet = await Wallet.findOneAndUpdate(
    { accountId },
    { $inc: { balance: amount } },
    { new: true, upsert: true, setDefaultsOnInsert: true }
  );
  return wallet.balance;
}

async function getBalance(accountId) {
  const wallet = await Wallet.findOne({ accountId }, { balance: 1 }).lean();
  return wallet ? wallet.balance : 0;
}

module.exports = { charge, topUp, getBalance, InsufficientFunds, Wallet, LedgerEntry };
