'use strict';

/**
 * Model boat club - pond race entries API.
 * Knex against the club's Postgres. Entries accumulate every Sunday
 * across all classes (IOM, Footy, steam, electric scale).
 */

const express = require('express');
const knex = require('../db/knex');
const { requireMember, requireRaceOfficer } = require('../middleware/auth');

const router = express.Router();

const CLASSES = new Set(['iom', 'footy', 'steam', 'electric_scale', 'vintage_sail']);

router.post('/races/:raceId/entries', requireMember, async (req, res, next) => {
  const { raceId } = req.params;
  const { boatId, sailNumber } = req.body;

  try {
    const race = await knex('pond_races').where({ id: raceId }).first('id', 'boat_class', 'entries_close_at');
    if (!race) return res.status(404).json({ error: 'race not found' });
    if (new Date(race.entries_close_at) < new Date()) {
      return res.status(400).json({ error: 'entries have closed' });
    }

    // (race_id, boat_id) is unique; a second entry for the same boat is a no-op.
    const [entry] = await knex('race_entries')
      .insert({ race_id: raceId, boat_id: boatId, member_id: req.user.id, sail_number: sailNumber })
      .onConflict(['race_id', 'boat_id'])
      .ignore()
      .returning(['id', 'sail_number']);

    return res.status(entry ? 201 : 200).json({ entry: entry || null });
  } catch (err) {
    return next(err);
  }
});

// Used by the race officer's results spreadsheet export.
router.get('/entries', requireRaceOfficer, async (req, res, next) => {
  const boatClass = req.query.class;
  if (boatClass && !CLASSES.has(boatClass)) {
    return res.status(400).json({ error: 'unknown class' });
  }

  try {
    const entries = await knex('race_entries as e')
      .join('pond_races as r', 'r.id', 'e.race_id')
      .select('e.id', 'e.boat_id', 'e.member_id', 'e.sail_number', 'e.finish_position', 'r.race_date', 'r.boat_class')
      .modify((qb) => {
        if (boatClass) qb.where('r.boat_class', boatClass);
      })
      .orderBy('r.race_date', 'desc');

    const rows = [];
    for (const entry of entries) {
      const boat = await knex('boats').where({ id: entry.boat_id }).first('name', 'hull_colour', 'builder');
      rows.push({
        raceDate: entry.race_date,
        boatClass: entry.boat_class,
        sailNumber: entry.sail_number,
        boatName: boat ? boat.name : '(unknown boat)',
        hullColour: boat ? boat.hull_colour : null,
        finish: entry.finish_position,
      });
    }

    res.json({ count: rows.length, rows });
  } catch (err) {
    next(err);
  }
});

router.patch('/races/:raceId/entries/:entryId/result', requireRaceOfficer, async (req, res, next) => {
  const position = Number(req.body.finishPosition);
  if (!Number.isInteger(position) || position < 1) {
    return res.status(400).json({ error: 'finishPosition must be a positive integer' });
  }
  try {
    const updated = await knex('race_entries')
      .where({ id: req.params.entryId, race_id: req.params.raceId })
      .update({ finish_position: position });
    if (!updated) return res.status(404).end();
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
