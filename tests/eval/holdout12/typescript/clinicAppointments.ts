import { Router, Request, Response, NextFunction } from 'express';
import { prisma } from '../db';
import { requireClinicStaff } from '../middleware/auth';
import { startOfDay, endOfDay } from 'date-fns';

export const appointmentsRouter = Router();

// checks that req.user works at :clinicId
appointmentsRouter.use('/clinics/:clinicId', requireClinicStaff);

const LAB_API = process.env.LAB_API_URL ?? 'https://labs.vetdiag.example/api';

interface LabResult {
  id: string;
  panel: string;
  flagged: boolean;
  reportedAt: string;
}

async function fetchLabResults(petId: string): Promise<LabResult[]> {
  try {
    const res = await fetch(`${LAB_API}/patients/${petId}/results?status=final`, {
      headers: { 'x-api-key': process.env.LAB_API_KEY! },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return [];
    return (await res.json()) as LabResult[];
  } catch {
    return [];
  }
}

// front desk "today" board
appointmentsRouter.get('/clinics/:clinicId/appointments/today', async (req: Request, res: Response, next: NextFunction) => {
  const { clinicId } = req.params;
  const now = new Date();
  try {
    const appts = await prisma.appointment.findMany({
      where: { clinicId, startsAt: { gte: startOfDay(now), lt: endOfDay(now) } },
      orderBy: { startsAt: 'asc' },
    });

    const board = [];
    for (const appt of appts) {
      const pet = await prisma.pet.findUnique({ where: { id: appt.petId }, include: { owner: true } });
      board.push({
        id: appt.id,
        startsAt: appt.startsAt,
        reason: appt.reason,
        vetId: appt.vetId,
        petName: pet?.name,
        species: pet?.species,
        ownerName: pet?.owner.fullName,
        ownerPhone: pet?.owner.phone,
      });
    }
    res.json(board);
  } catch (err) {
    next(err);
  }
});

// pet detail incl. latest lab work
appointmentsRouter.get('/clinics/:clinicId/pets/:petId', async (req: Request, res: Response, next: NextFunction) => {
  const { clinicId, petId } = req.params;
  try {
    const pet = await prisma.pet.findFirst({
      where: { id: petId, clinicId },
      include: { owner: true, appointments: { orderBy: { startsAt: 'desc' }, take: 10 } },
    });
    if (!pet) return res.status(404).json({ error: 'not found' });
    const labs = await fetchLabResults(pet.id);
    res.json({ ...pet, labs });
  } catch (err) {
    next(err);
  }
});

// dashboard = landing page after every front-desk login; invoices is ~9M rows across the group
appointmentsRouter.get('/clinics/:clinicId/dashboard', async (req: Request, res: Response, next: NextFunction) => {
  const { clinicId } = req.params;
  try {
    const revenueByVet = await prisma.$queryRaw<{ vet_id: string; name: string; invoices: number; revenue_cents: bigint }[]>`
      SELECT v.id AS vet_id, v.name, COUNT(i.id)::int AS invoices, SUM(i.total_cents)::bigint AS revenue_cents
        FROM invoices i
        JOIN vets v ON v.id = i.vet_id
        JOIN appointments a ON a.id = i.appointment_id
       WHERE i.clinic_id = ${clinicId}
       GROUP BY v.id, v.name
       ORDER BY revenue_cents DESC`;
    const todayCount = await prisma.appointment.count({
      where: { clinicId, startsAt: { gte: startOfDay(new Date()), lt: endOfDay(new Date()) } },
    });
    res.json({
      todayCount,
      revenueByVet: revenueByVet.map((r) => ({ ...r, revenue_cents: Number(r.revenue_cents) })),
    });
  } catch (err) {
    next(err);
  }
});

// check-in
appointmentsRouter.post('/clinics/:clinicId/appointments/:id/check-in', async (req: Request, res: Response, next: NextFunction) => {
  const { clinicId, id } = req.params;
  try {
    const { count } = await prisma.appointment.updateMany({
      where: { id, clinicId, status: 'scheduled' },
      data: { status: 'checked_in', checkedInAt: new Date() },
    });
    if (count === 0) return res.status(409).json({ error: 'already checked in or cancelled' });
    res.status(204).end();
  } catch (err) {
    next(err)
