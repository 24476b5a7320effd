// app/api/reports/[reportId]/export/route.ts
//
// Generates a PDF for a saved report and returns it as a download.
// Deployed on our own Node containers behind nginx (proxy_read_timeout 30s).

import { NextRequest, NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';
import { getSession } from '@/lib/auth';
import { renderReportPdf } from '@/lib/pdf';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const CHART_SERVICE_URL = process.env.CHART_SERVICE_URL!;

export async function GET(req: NextRequest, { params }: { params: { reportId: string } }) {
  const session = await getSession();
  if (!session) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  }

  const report = await prisma.report.findFirst({
    where: { id: params.reportId, organizationId: session.organizationId },
    include: { widgets: { orderBy: { position: 'asc' } } },
  });
  if (!report) {
    return NextResponse.json({ error: 'Not found' }, { status: 404 });
  }

  const from = new Date(req.nextUrl.searchParams.get('from') ?? Date.now() - 90 * 86400_000);
  const to = new Date(req.nextUrl.searchParams.get('to') ?? Date.now());

  // Render every widget as an image via the chart service, one per page.
  // Reports can have up to 200 widgets, each query runs over the requested range.
  const pages: Buffer[] = [];
  for (const widget of report.widgets) {
    const res = await fetch(`${CHART_SERVICE_URL}/render`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationId: session.organizationId,
        query: widget.query,
        chartType: widget.chartType,
        from: from.toISOString(),
        to: to.toISOString(),
        width: 1600,
        height: 900,
      }),
    });
    if (!res.ok) {
      return NextResponse.json({ error: `Chart render failed for widget ${widget.id}` }, { status: 502 });
    }
    pages.push(Buffer.from(await res.arrayBuffer()));
  }

  const pdf = await renderReportPdf({ title: report.name, from, to, pages });

  return new NextResponse(pdf, {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${report.slug}.pdf"`,
    },
  });
}
