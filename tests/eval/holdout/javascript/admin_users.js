const express = require('express');
const { User } = require('./models'); // Sequelize

const router = express.Router();

router.get('/admin/users', async (req, res) => {
  const users = await User.findAll({ order: [['createdAt', 'DESC']] });
  res.json(users);
});

router.get('/admin/users/search', async (req, res) => {
  const users = await User.findAll({
    where: { email: req.query.email },
    limit: 20,
  });
  res.json(users);
});

router.get('/admin/users/:id', async (req, res) => {
  const user = await User.findByPk(req.params.id);
  if (!user) return res.sendStatus(404);
  res.json(user);
});

module.exports = router;
