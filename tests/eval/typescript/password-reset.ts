import crypto from 'node:crypto';
import { Router } from 'express';
import { sql } from './db';
import { sendMail } from './mail';

export const reset = Router();

reset.post('/password-reset', async (req, res) => {
  const email = String(req.body.email ?? '').toLowerCase();
  const [user] = await sql`SELECT id FROM users WHERE email = ${email}`;
  if (user) {
    const token = crypto.randomBytes(32).toString('base64url');
    await sql`
      INSERT INTO password_resets (user_id, token_hash, expires_at)
      VALUES (${user.id}, ${crypto.createHash('sha256').update(token).digest('hex')}, now() + interval '1 hour')
    `;
    await sendMail(email, 'Reset your password', `https://app.example.com/reset?token=${token}`);
  }
  res.status(202).json({ ok: true });
});

reset.post('/password-reset/confirm', async (req, res) => {
  const hash = crypto.createHash('sha256').update(String(req.body.token)).digest('hex');
  const [row] = await sql`
    DELETE FROM password_resets WHERE token_hash = ${hash} AND expires_at > now() RETURNING user_id
  `;
  if (!row) return res.status(400).json({ error: 'invalid or expired token' });
  // … set the new password for row.user_id
  res.json({ ok: true });
});
