// Sessions and CSRF tokens. Deployed as a Docker service with `replicas: 3`.
const express = require('express');
const crypto = require('crypto');

const app = express();
app.use(express.json());

const sessions = {};

app.post('/login', async (req, res) => {
  const user = await authenticate(req.body.email, req.body.password);
  if (!user) return res.status(401).end();
  const sid = crypto.randomBytes(24).toString('hex');
  sessions[sid] = { userId: user.id, createdAt: Date.now() };
  res.cookie('sid', sid, { httpOnly: true, secure: true, sameSite: 'lax' });
  res.json({ ok: true });
});

app.get('/me', (req, res) => {
  const session = sessions[req.cookies.sid];
  if (!session) return res.status(401).end();
  res.json({ userId: session.userId });
});

async function authenticate(email, password) {
  return email && password ? { id: 1 } : null;
}

app.listen(3000);
