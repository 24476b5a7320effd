// app/api/translate/route.ts
// Translates an uploaded document segment-by-segment with the LLM and returns the result.
// Hosted on Vercel (Pro), maxDuration below; agency docs are usually 200-2,000 segments.
import { NextRequest, NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';
import { auth } from '@/lib/auth';

export const runtime = 'nodejs';
export const maxDuration = 60;

const LLM_URL = 'https://api.openai.com/v1/chat/completions';

async function translateSegment(text: string, source: string, target: string, glossary: string) {
  const res = await fetch(LLM_URL, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      messages: [
        { role: 'system', content: `Translate from ${source} to ${target}. Use this glossary strictly:\n${glossary}` },
        { role: 'user', content: text },
      ],
    }),
  });
  if (!res.ok) throw new Error(`LLM error ${res.status}`);
  const json = await res.json();
  return json.choices[0].message.content as string;
}

export async function POST(req: NextRequest) {
  const session = await auth();
  if (!session) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const { documentId, targetLang } = await req.json();
  const doc = await prisma.document.findFirst({
    where: { id: documentId, agencyId: session.user.agencyId },
    include: { segments: { orderBy: { position: 'asc' } }, glossary: true },
  });
  if (!doc) return NextResponse.json({ error: 'not found' }, { status: 404 });

  const glossary = doc.glossary.map((g) => `${g.source} => ${g.target}`).join('\n');
  const translated: string[] = [];
  for (const seg of doc.segments) {
    translated.push(await translateSegment(seg.text, doc.sourceLang, targetLang, glossary));
  }

  const job = await prisma.translation.create({
    data: {
      documentId: doc.id,
      agencyId: session.user.agencyId,
      targetLang,
      output: translated.join('\n'),
      status: 'draft',
    },
  });

  return NextResponse.json({ translationId: job.id, segments: translated.length });
}
