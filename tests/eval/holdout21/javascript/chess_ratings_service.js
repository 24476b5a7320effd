// services/ratings.js — chess club Elo ratings (Sequelize)
//
// Results come in from the club-night app as soon as a board finishes, so several
// games involving the same player can be submitted within seconds of each other
// during a rapid tournament.
const { Op } = require('sequelize');
const { sequelize, Player, Game } = require('../models');

const K_FACTOR_NEW = 40; // fewer than 30 rated games
const K_FACTOR = 20;

function expectedScore(ratingA, ratingB) {
  return 1 / (1 + Math.pow(10, (ratingB - ratingA) / 400));
}

function kFactor(player) {
  return player.gamesPlayed < 30 ? K_FACTOR_NEW : K_FACTOR;
}

/**
 * Store a finished game and update both players' ratings.
 * result: 1 = white won, 0.5 = draw, 0 = black won
 */
async function recordGameResult({ whiteId, blackId, result, eventId }) {
  const [white, black] = await Promise.all([Player.findByPk(whiteId), Player.findByPk(blackId)]);
  if (!white || !black) {
    throw new Error(`unknown player in game ${whiteId} vs ${blackId}`);
  }

  const expWhite = expectedScore(white.rating, black.rating);
  const newWhite = Math.round(white.rating + kFactor(white) * (result - expWhite));
  const newBlack = Math.round(black.rating + kFactor(black) * (1 - result - (1 - expWhite)));

  return sequelize.transaction(async (transaction) => {
    const game = await Game.create(
      {
        whiteId,
        blackId,
        result,
        eventId,
        whiteRatingBefore: white.rating,
        blackRatingBefore: black.rating,
      },
      { transaction }
    );

    white.rating = newWhite;
    white.gamesPlayed += 1;
    black.rating = newBlack;
    black.gamesPlayed += 1;
    await white.save({ transaction });
    await black.save({ transaction });

    return { gameId: game.id, white: newWhite, black: newBlack };
  });
}

/** Club ladder: top N active players. */
async function ladder({ limit = 50, activeSince } = {}) {
  return Player.findAll({
    attributes: ['id', 'displayName', 'rating', 'gamesPlayed'],
    where: {
      lastPlayedAt: { [Op.gte]: activeSince || new Date(Date.now() - 180 * 864e5) },
    },
    order: [['rating', 'DESC']],
    limit: Math.min(limit, 200),
  });
}

module.exports = { recordGameResult, ladder, expectedScore };
