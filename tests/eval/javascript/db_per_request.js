const express = require('express');
const { Client } = require('pg');
const mysql = require('mysql2/promise');

const app = express();

app.get('/users/:id', async (req, res) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id, name, email FROM users WHERE id = $1', [req.params.id]);
    if (!rows.length) return res.sendStatus(404);
    res.json(rows[0]);
  } finally {
    await client.end();
  }
});

const legacyPool = mysql.createPool({ uri: process.env.LEGACY_DB_URL, connectionLimit: 10 });

app.get('/legacy/accounts/:id', async (req, res) => {
  const [rows] = await legacyPool.query('SELECT * FROM accounts WHERE id = ?', [req.params.id]);
  res.json(rows[0] || null);
});

app.listen(8080);
