// is this safe if two people click "hold" on the same hot desk at the same time?
app.post('/desks/:deskId/hold', async (req, res) => {
  const { rowCount } = await pool.query(
    `UPDATE desks
        SET held_by = $1, held_until = now() + interval '10 minutes'
      WHERE id = $2 AND space_id = $3
        AND (held_by IS NULL OR held_until < now())`,
    [req.user.id, req.params.deskId, req.user.spaceId]
  );
  if (rowCount === 0) return res.status(409).json({ error: 'desk is already held' });
  res.json({ held: true });
});
