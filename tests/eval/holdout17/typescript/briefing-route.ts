// app/api/rosters/[rosterId]/briefing/route.ts
// Builds the 0600 briefing pack for every crew on a wildfire roster: an AI-written summary of
// assignment, spot-weather and hazards per crew, then one PDF for the incident commander.
// Hosted on Vercel; the ops portal reaches it through the county API gateway (30 s timeout).
import { NextRequest, NextResponse } from 'next/server';
import OpenAI from 'openai';
import { prisma } from '@/lib/prisma';
import { getServerSession } from 'next-auth';
import { authOptions } from '@/lib/auth';
import { renderBriefingPdf } from '@/lib/pdf';
import { getSpotForecasts } from '@/lib/nws';

export const maxDuration = 60;

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function POST(req: NextRequest, { params }: { params: { rosterId: string } }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const roster = await prisma.roster.findFirst({
    where: { id: params.rosterId, agencyId: session.user.agencyId },
    include: {
      crews: {
        include: {
          members: { select: { name: true, role: true, quals: true } },
          assignment: true,
        },
      },
    },
  });
  if (!roster) return NextResponse.json({ error: 'not found' }, { status: 404 });

  // one batched call for all division points (NWS spot forecast proxy, 5 s timeout inside)
  const forecasts = await getSpotForecasts(
    roster.crews.map((c) => ({ id: c.id, lat: c.assignment.lat, lng: c.assignment.lng })),
  );

  const sections: { crew: string; text: string }[] = [];
  for (const crew of roster.crews) {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o',
      temperature: 0.2,
      messages: [
        {
          role: 'system',
          content:
            'You write concise wildfire crew briefings: assignment, weather, LCES reminders, hazards. Max 250 words.',
        },
        {
          role: 'user',
          content: JSON.stringify({
            crew: crew.name,
            members: crew.members,
            assignment: crew.assignment,
            forecast: forecasts[crew.id],
          }),
        },
      ],
    });
    sections.push({ crew: crew.name, text: completion.choices[0].message.content ?? '' });
  }

  const pdf = await renderBriefingPdf({ incident: roster.incidentName, shiftDate: roster.shiftDate, sections });

  await prisma.briefing.create({
    data: { rosterId: roster.id, agencyId: session.user.agencyId, pdfKey: pdf.key, createdById: session.user.id },
  });

  return NextResponse.json({ pdfUrl: pdf.url, crews: sections.length });
}
