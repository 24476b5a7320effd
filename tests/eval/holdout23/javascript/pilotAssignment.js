// POST /ports/:portId/jobs/:jobId/assign
// Picks the next rested pilot on the duty roster and binds them to the vessel
// movement. Three dispatch desks hit this at once around high water.
// `pool` is the app-wide pg Pool from ../db.

async function assignPilot(req, res, next) {
  const { portId, jobId } = req.params;
  if (req.user.portId !== portId) {
    return res.status(403).json({ error: 'not your port' });
  }
  const minLicence = Number(req.body.minLicenceClass) || 1;

  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    // Lock one candidate row; a concurrent desk skips it and takes the next pilot.
    const { rows: pilots } = await client.query(
      `SELECT id, name, licence_class
         FROM pilots
        WHERE port_id = $1
          AND on_duty
          AND status = 'available'
          AND rested_until <= now()
          AND licence_class >= $2
        ORDER BY last_assigned_at NULLS FIRST
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      [portId, minLicence],
    );
    if (pilots.length === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'no rested pilot available' });
    }
    const pilot = pilots[0];

    const job = await client.query(
      `UPDATE pilot_jobs
          SET pilot_id = $1, status = 'assigned', assigned_at = now()
        WHERE id = $2 AND port_id = $3 AND pilot_id IS NULL AND status = 'open'`,
      [pilot.id, jobId, portId],
    );
    if (job.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'job already assigned or closed' });
    }

    await client.query(
      `UPDATE pilots SET status = 'assigned', last_assigned_at = now()
        WHERE id = $1 AND port_id = $2`,
      [pilot.id, portId],
    );
    await client.query('COMMIT');

    res.status(200).json({ jobId, pilot: { id: pilot.id, name: pilot.name } });
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
}

// POST /ports/:portId/jobs/:jobId/complete — pilot disembarked.
async function completeJob(req, res, next) {
  const { portId, jobId } = req.params;
  try {
    const { rows } = await pool.query(
      `WITH done AS (
         UPDATE pilot_jobs SET status = 'completed', completed_at = now()
          WHERE id = $1 AND port_id = $2 AND status = 'assigned'
          RETURNING pilot_id
       )
       UPDATE pilots p
          SET status = 'available', rested_until = now() + interval '90 minutes'
         FROM done
        WHERE p.id = done.pilot_id AND p.port_id = $2
       RETURNING p.id`,
      [jobId, portId],
    );
    if (rows.length === 0) return res.status(409).json({ error: 'job is not in progress' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
}

module.exports = { assignPilot, completeJob };
