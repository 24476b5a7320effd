import { NextRequest, NextResponse } from 'next/server';
import bcrypt from 'bcryptjs';
import { kv } from '@vercel/kv';
import { db } from '@/lib/db';

export async function POST(req: NextRequest) {
  const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'unknown';
  const attempts = await kv.incr(`login:${ip}`);
  if (attempts === 1) await kv.expire(`login:${ip}`, 60);
  if (attempts > 10) {
    return NextResponse.json({ error: 'too many attempts' }, { status: 429 });
  }
  const { email, password } = await req.json();
  const user = await db.user.findUnique({ where: { email } });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    return NextResponse.json({ error: 'invalid credentials' }, { status: 401 });
  }
  return NextResponse.json({ ok: true });
}
