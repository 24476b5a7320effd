import { NextRequest, NextResponse } from 'next/server';

const cache = new Map<string, { at: number; body: unknown }>();
const TTL_MS = 10 * 60 * 1000;

export async function GET(req: NextRequest) {
  const city = (req.nextUrl.searchParams.get('city') ?? '').toLowerCase();
  const hit = cache.get(city);
  if (hit && Date.now() - hit.at < TTL_MS) {
    return NextResponse.json(hit.body);
  }
  const res = await fetch(`https://api.weather.example/v1/current?city=${encodeURIComponent(city)}`, {
    signal: AbortSignal.timeout(4000),
  });
  const body = await res.json();
  cache.set(city, { at: Date.now(), body });
  return NextResponse.json(body);
}
