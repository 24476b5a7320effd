const express = require('express');
const bcrypt = require('bcrypt');
const { User, Invite } = require('./models');

const router = express.Router();

router.post('/signup', async (req, res) => {
  const { username, email, password } = req.body;
  const hash = await bcrypt.hash(password, 12);
  try {
    // `username` has a unique index: the database refuses the second one
    const user = await User.create({ username: username.toLowerCase(), email, passwordHash: hash });
    res.status(201).json({ id: user.id });
  } catch (err) {
    if (err.code === 11000) return res.status(409).json({ error: 'username taken' });
    throw err;
  }
});

router.post('/invites/:code/accept', async (req, res) => {
  const invite = await Invite.findOne({ code: req.params.code });
  if (!invite || invite.usedBy) {
    return res.status(410).json({ error: 'invite already used' });
  }
  invite.usedBy = req.user.id;
  invite.usedAt = new Date();
  await invite.save();
  res.json({ team: invite.teamId });
});

module.exports = router;
