// app/api/clubs/[clubId]/layouts/export/route.ts
// Model-railway club portal (Next.js 14, app router). Builds the "layout book":
// one PDF page per layout with the track plan, module list and wiring notes,
// for the exhibition programme. Self-hosted with `next start` on k8s, replicas: 3.

import { NextRequest, NextResponse } from "next/server";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PDFDocument } from "pdf-lib";
import { prisma } from "@/lib/prisma";
import { getSessionMember } from "@/lib/auth";
import { renderTrackPlanPng } from "@/lib/track-plan";

export const runtime = "nodejs";
export const maxDuration = 300;

const s3 = new S3Client({
  region: process.env.AWS_REGION,
  requestHandler: { requestTimeout: 15_000, connectionTimeout: 3_000 },
});

// Clubs whose layout book is being generated right now; a second click while
// one is running gets a 409 instead of starting another.
const exportsInProgress = new Set<string>();

export async function POST(req: NextRequest, { params }: { params: { clubId: string } }) {
  const member = await getSessionMember(req);
  if (!member || member.clubId !== params.clubId || !member.isCommittee) {
    return NextResponse.json({ error: "forbidden" }, { status: 403 });
  }
  if (exportsInProgress.has(params.clubId)) {
    return NextResponse.json({ error: "export already running" }, { status: 409 });
  }
  exportsInProgress.add(params.clubId);

  try {
    const layouts = await prisma.layout.findMany({
      where: { clubId: params.clubId, archived: false },
      include: { modules: { orderBy: { position: "asc" } }, owner: { select: { name: true } } },
      orderBy: { name: "asc" },
      take: 500,
    });

    const book = await PDFDocument.create();
    for (const layout of layouts) {
      // Rasterises the full track plan at print resolution (~4-8 s per layout).
      const png = await renderTrackPlanPng(layout, { dpi: 300, showWiring: true });
      const page = book.addPage([842, 595]);
      const image = await book.embedPng(png);
      page.drawImage(image, { x: 24, y: 120, width: 794, height: 450 });
      page.drawText(`${layout.name} — ${layout.scale} — ${layout.owner.name}`, { x: 24, y: 90, size: 14 });
      page.drawText(
        layout.modules.map((m) => `${m.position}. ${m.title} (${m.lengthMm} mm)`).join("   "),
        { x: 24, y: 60, size: 8, maxWidth: 794 },
      );
    }

    const bytes = await book.save();
    const key = `clubs/${params.clubId}/layout-book-${Date.now()}.pdf`;
    await s3.send(
      new PutObjectCommand({
        Bucket: process.env.EXPORT_BUCKET,
        Key: key,
        Body: bytes,
        ContentType: "application/pdf",
      }),
    );

    await prisma.clubExport.create({
      data: { clubId: params.clubId, kind: "LAYOUT_BOOK", s3Key: key, createdById: member.id },
    });

    return NextResponse.json({ key, pages: layouts.length }, { status: 201 });
  } finally {
    exportsInProgress.delete(params.clubId);
  }
}
