// quilt show app - entries + viewers choice
var express = require('express');
var router = express.Router();
var { Entry, Quilter, Show } = require('../models');
var auth = require('../middleware/auth');

router.get('/entries', function (req, res, next) {
  Entry.findAll({ include: [Quilter, Show], order: [['createdAt', 'DESC']] })
    .then(function (entries) { res.json(entries); })
    .catch(next);
});

router.get('/shows/:showId/entries/:entryId', function (req, res, next) {
  Entry.findOne({ where: { id: req.params.entryId, showId: req.params.showId }, include: [Quilter] })
    .then(function (e) { e ? res.json(e) : res.sendStatus(404); })
    .catch(next);
});

router.post('/shows/:showId/entries', auth, async function (req, res, next) {
  try {
    var entry = await Entry.create({
      showId: req.params.showId,
      quilterId: req.user.quilterId,
      title: req.body.title,
      category: req.body.category,
      widthIn: req.body.widthIn,
      heightIn: req.body.heightIn,
      votes: 0
    });
    // let the show committee know
    await fetch(process.env.COMMITTEE_HOOK, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'New entry: ' + entry.title + ' (' + entry.category + ')' })
    });
    res.status(201).json(entry);
  } catch (err) { next(err); }
});

// viewers choice ballot - one click per quilt
router.post('/shows/:showId/entries/:entryId/vote', auth, async function (req, res, next) {
  try {
    var entry = await Entry.findByPk(req.params.entryId);
    if (!entry || String(entry.showId) !== req.params.showId) return res.sendStatus(404);
    entry.votes = entry.votes + 1;
    await entry.save();
    res.json({ votes: entry.votes });
  } catch (err) { next(err); }
});

router.get('/shows/:showId/leaders', function (req, res, next) {
  Entry.findAll({
    where: { showId: req.params.showId },
    attributes: ['id', 'title', 'votes'],
    order: [['votes', 'DESC']],
    limit: 10
  }).then(function (rows) { res.json(rows); }).catch(next);
});

router.delete('/shows/:showId/entries/:entryId', auth, async function (req, res, next) {
  try {
    var n = await Entry.destroy({ where: { id: req.params.entryId, quilterId: req.user.quilterId } });
    res.sendStatus(n ? 204 : 404);
  } catch (err) { next(err); }
});

module.exports = rou
