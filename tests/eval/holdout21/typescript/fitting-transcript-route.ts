// app/api/clinics/[clinicId]/fittings/[fittingId]/transcript/route.ts
//
// Audiologists record the whole hearing-aid fitting session (typically 40–70 min) on
// the clinic tablet. After the session they press "Create summary", which calls this
// route: normalise the audio, send it to the speech-to-text vendor, store the transcript.
import { NextRequest, NextResponse } from 'next/server';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { prisma } from '@/lib/prisma';
import { requireClinicStaff } from '@/lib/auth';

const execFileAsync = promisify(execFile);
const RECORDINGS_DIR = process.env.RECORDINGS_DIR ?? '/mnt/recordings';

export const runtime = 'nodejs';

async function normaliseAudio(input: string, output: string) {
  // mono 16 kHz, loudness-normalised, noise gate for the sound booth hum
  await execFileAsync('ffmpeg', [
    '-y', '-i', input,
    '-ac', '1', '-ar', '16000',
    '-af', 'highpass=f=80,loudnorm=I=-23:LRA=7,agate=threshold=0.02',
    output,
  ]);
}

export async function POST(
  req: NextRequest,
  { params }: { params: { clinicId: string; fittingId: string } },
) {
  const staff = await requireClinicStaff(req, params.clinicId);
  if (!staff) return NextResponse.json({ error: 'forbidden' }, { status: 403 });

  const fitting = await prisma.fittingSession.findFirst({
    where: { id: params.fittingId, clinicId: params.clinicId },
    select: { id: true, recordingFile: true, patientId: true, language: true },
  });
  if (!fitting?.recordingFile) {
    return NextResponse.json({ error: 'no recording for this fitting' }, { status: 404 });
  }

  const input = path.join(RECORDINGS_DIR, params.clinicId, fitting.recordingFile);
  const output = `${input}.16k.wav`;
  await normaliseAudio(input, output);

  const audio = await readFile(output);
  const sttRes = await fetch('https://api.speechvendor.example/v1/transcribe', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${process.env.STT_API_KEY}`,
      'content-type': 'audio/wav',
      'x-language': fitting.language ?? 'en-GB',
      'x-diarize': 'true',
    },
    body: audio,
  });
  await unlink(output);

  if (!sttRes.ok) {
    const detail = await sttRes.text();
    console.error('stt failed', sttRes.status, detail);
    return NextResponse.json({ error: 'transcription failed' }, { status: 502 });
  }
  const { text, segments } = (await sttRes.json()) as {
    text: string;
    segments: Array<{ speaker: string; start: number; end: number; text: string }>;
  };

  const transcript = await prisma.fittingTranscript.upsert({
    where: { fittingSessionId: fitting.id },
    create: { fittingSessionId: fitting.id, clinicId: params.clinicId, text, segments },
    update: { text, segments },
  });

  return NextResponse.json({ transcriptId: transcript.id, words: text.split(/\s+/).length });
}
