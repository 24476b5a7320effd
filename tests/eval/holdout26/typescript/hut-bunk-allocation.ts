// src/huts/bunkAllocation.ts
// Mountain hut bunk allocation. Hikers pick a specific bunk in the dormitory
// plan; the bunk is held while they confirm their alpine-club membership
// (members get the reduced rate), then allocated.
import { Op } from 'sequelize';
import { BunkAllocation, BunkHold, Hut } from '../models';
import { logger } from '../logger';

const HOLD_MINUTES = 20;
const MEMBERSHIP_API = process.env.ALPINE_CLUB_API ?? 'https://members.alpineclub.example/api';

export interface BunkRequest {
  hutId: number;
  bunkNo: number;
  night: string; // YYYY-MM-DD
  hikerId: number;
  membershipNo?: string;
}

export class BunkTakenError extends Error {}

async function verifyMembership(membershipNo: string): Promise<boolean> {
  const res = await fetch(`${MEMBERSHIP_API}/memberships/${encodeURIComponent(membershipNo)}`, {
    headers: { Authorization: `Bearer ${process.env.ALPINE_CLUB_TOKEN}` },
  });
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`membership lookup failed: ${res.status}`);
  const body = (await res.json()) as { status: string; expires: string };
  return body.status === 'active' && new Date(body.expires) > new Date();
}

/**
 * Step 1: the hiker taps a bunk on the dorm plan. The hold only greys the bunk
 * out for other hikers browsing the plan; allocation is decided in step 2.
 */
export async function holdBunk(req: BunkRequest) {
  const hold = await BunkHold.create({ hutId: req.hutId, bunkNo: req.bunkNo, night: req.night, hikerId: req.hikerId, expiresAt: new Date(Date.now() + HOLD_MINUTES * 60_000) });
  return { holdId: hold.id, expiresAt: hold.expiresAt };
}

/** Step 2: confirm. Members are checked against the club API for the rate. */
export async function allocateBunk(req: BunkRequest) {
  const hut = await Hut.findByPk(req.hutId, { attributes: ['id', 'name', 'memberRateCents', 'rateCents'] });
  if (!hut) throw new Error(`unknown hut ${req.hutId}`);

  const existing = await BunkAllocation.findOne({ where: { hutId: req.hutId, bunkNo: req.bunkNo, night: req.night } });
  if (existing) {
    throw new BunkTakenError(`bunk ${req.bunkNo} is already allocated for ${req.night}`);
  }

  const isMember = req.membershipNo ? await verifyMembership(req.membershipNo) : false;

  const allocation = await BunkAllocation.create({
    hutId: req.hutId,
    bunkNo: req.bunkNo,
    night: req.night,
    hikerId: req.hikerId,
    priceCents: isMember ? hut.memberRateCents : hut.rateCents,
    memberRate: isMember,
  });

  logger.info(
    { hut: hut.name, bunk: req.bunkNo, night: req.night, member: isMember },
    'bunk allocated',
  );
  return allocation;
}

/** Dorm plan: which bunks are free, held or allocated for a night. */
export async function dormPlan(hutId: number, night: string) {
  const [allocations, holds] = await Promise.all([
    BunkAllocation.findAll({ where: { hutId, night }, attributes: ['bunkNo'], limit: 200 }),
    BunkHold.findAll({
      where: { hutId, night, expiresAt: { [Op.gt]: new Date() } },
      attributes: ['bunkNo'],
      limit: 200,
    }),
  ]);
  return {
    allocated: allocations.map((a) => a.bunkNo),
    held: holds.map((h) => h.bunkNo),
  };
}
