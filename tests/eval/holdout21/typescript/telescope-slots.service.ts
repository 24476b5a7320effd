// observatory-portal/src/slots/telescope-slots.service.ts
//
// Multi-tenant portal: each observatory (tenant) manages its own telescopes and
// observing slots. The tenant id is resolved from the subdomain by TenantGuard.
import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, MoreThan } from 'typeorm';
import { randomBytes } from 'crypto';
import { ObservingSlot } from './entities/observing-slot.entity';
import { SlotBooking } from './entities/slot-booking.entity';
import { ShareLink } from './entities/share-link.entity';

const SHARE_LINK_TTL_MS = 48 * 60 * 60 * 1000;

@Injectable()
export class TelescopeSlotsService {
  constructor(
    @InjectRepository(ObservingSlot) private readonly slots: Repository<ObservingSlot>,
    @InjectRepository(SlotBooking) private readonly bookings: Repository<SlotBooking>,
    @InjectRepository(ShareLink) private readonly shareLinks: Repository<ShareLink>,
  ) {}

  /** Upcoming open slots for one telescope, soonest first. */
  async upcomingSlots(observatoryId: string, telescopeId: string, take = 40) {
    return this.slots.find({
      where: { observatoryId, telescopeId, status: 'open', startsAt: MoreThan(new Date()) },
      order: { startsAt: 'ASC' },
      take: Math.min(take, 100),
    });
  }

  /** Book an open slot: the conditional update only succeeds for one caller. */
  async bookSlot(observatoryId: string, slotId: string, observerEmail: string) {
    const result = await this.slots
      .createQueryBuilder()
      .update(ObservingSlot)
      .set({ status: 'booked' })
      .where('id = :slotId AND observatory_id = :observatoryId AND status = :open', {
        slotId,
        observatoryId,
        open: 'open',
      })
      .execute();
    if (result.affected !== 1) {
      throw new ConflictException('slot is no longer open');
    }
    return this.bookings.save(this.bookings.create({ observatoryId, slotId, observerEmail }));
  }

  /** "My bookings" page for an observer. */
  async bookingsForObserver(observatoryId: string, observerEmail: string) {
    return this.bookings.find({
      where: { observerEmail },
      relations: { slot: true },
      order: { createdAt: 'DESC' },
      take: 50,
    });
  }

  /**
   * Observers can share the FITS images from a session with a public link that
   * works for 48 hours.
   */
  async createShareLink(observatoryId: string, bookingId: string) {
    const booking = await this.bookings.findOne({ where: { id: bookingId, observatoryId } });
    if (!booking) throw new NotFoundException();

    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + SHARE_LINK_TTL_MS);
    await this.shareLinks.insert({ token, bookingId, observatoryId, expiresAt });
    return { url: `https://share.skyslots.example/${token}`, expiresAt };
  }

  async resolveShareLink(token: string) {
    const link = await this.shareLinks.findOne({
      where: { token, expiresAt: MoreThan(new Date()) },
      relations: { booking: true },
    });
    if (!link) throw new NotFoundException('link expired or unknown');
    return link.booking;
  }
}
