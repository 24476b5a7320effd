// app/api/quotes/[quoteId]/previews/route.ts
// Before a church's repair quote goes to the parochial church council, the
// studio renders a high-resolution "before/after" preview of every panel in
// the window (tracery lights, quarries, borders) from the survey photos stored
// with each panel, tinted with the replacement glass, and zips them into the
// quote pack. A big east window can have 60+ panels.
import { NextRequest, NextResponse } from 'next/server';
import sharp from 'sharp';
import { getServerSession } from 'next-auth';
import { prisma } from '@/lib/prisma';
import { redis } from '@/lib/redis';
import { authOptions } from '@/lib/auth';
import { uploadQuotePack } from '@/lib/storage';
import { loadGlassPriceList, type GlassPriceList } from '@/lib/supplier';

export const maxDuration = 300;

async function priceListFor(userId: string): Promise<GlassPriceList> {
  const key = `glass-prices:${userId}`;
  const cached = await redis.get(key);
  if (cached) return JSON.parse(cached);

  const list = await loadGlassPriceList();
  await redis.set(key, JSON.stringify(list), 'EX', 3600);
  return list;
}

async function renderPanel(photo: Buffer, tint: string, widthMm: number) {
  // 600 dpi print preview: about 24 px per mm.
  const widthPx = Math.round(widthMm * 23.6);
  return sharp(photo)
    .resize({ width: widthPx, kernel: 'lanczos3' })
    .modulate({ saturation: 1.15 })
    .tint(tint)
    .sharpen({ sigma: 1.2 })
    .tiff({ compression: 'lzw', xres: 23.6, yres: 23.6 })
    .toBuffer();
}

export async function POST(_req: NextRequest, { params }: { params: { quoteId: string } }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) return NextResponse.json({ error: 'Unauthorised' }, { status: 401 });

  const quote = await prisma.repairQuote.findFirst({
    where: { id: params.quoteId, studioId: session.user.studioId },
    include: { panels: { orderBy: { position: 'asc' } } },
  });
  if (!quote) return NextResponse.json({ error: 'Quote not found' }, { status: 404 });

  const prices = await priceListFor(session.user.id);

  const files: { name: string; data: Buffer }[] = [];
  const costs: { panelId: string; glassCost: number }[] = [];
  for (const panel of quote.panels) {
    const glass = prices.sheets[panel.replacementGlassCode];
    const tiff = await renderPanel(panel.photo, glass?.hex ?? '#ffffff', panel.widthMm);
    files.push({ name: `panel-${String(panel.position).padStart(2, '0')}.tiff`, data: tiff });
    costs.push({
      panelId: panel.id,
      glassCost: glass ? (glass.pricePerSqm * panel.widthMm * panel.heightMm) / 1_000_000 : 0,
    });
  }

  // One zip per quote pack, uploaded once.
  const packUrl = await uploadQuotePack(`quotes/${quote.id}/previews.zip`, files);

  await prisma.repairQuote.update({
    where: { id: quote.id },
    data: {
      previewPackUrl: packUrl,
      glassTotal: costs.reduce((sum, c) => sum + c.glassCost, 0),
      previewsRenderedAt: new Date(),
    },
  });

  return NextResponse.json({ quoteId: quote.id, packUrl, panels: costs });
}
