// is this ok?? patrons buy song credits on the bar tablet and spend 1 per song they queue.
// (sequelize models, express app)
app.post('/api/queue', auth, async (req, res) => {
  const { songId } = req.body;
  const patron = await Patron.findByPk(req.user.patronId);
  if (patron.credits < 1) {
    return res.status(402).json({ error: 'Buy more credits at the bar' });
  }
  patron.credits = patron.credits - 1;
  await patron.save();

  const entry = await QueueEntry.create({ barId: patron.barId, patronId: patron.id, songId });
  io.to(`bar:${patron.barId}`).emit('queue:add', entry);
  res.status(201).json(entry);
});
