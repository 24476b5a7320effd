// src/bookings/bookings.service.ts  (escape-room booking platform, multi-venue)
// pasted the service only - controller just passes req.user.orgId through

@Injectable()
export class BookingsService {
  private readonly logger = new Logger(BookingsService.name);

  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectRepository(Room) private readonly rooms: Repository<Room>,
    private readonly mailer: MailerService,
  ) {}

  async listForDay(orgId: string, roomId: string, day: string): Promise<Booking[]> {
    const start = startOfDay(parseISO(day));
    return this.bookings.find({
      where: { orgId, roomId, slotStart: Between(start, endOfDay(start)) },
      order: { slotStart: 'ASC' },
    });
  }

  async create(orgId: string, dto: CreateBookingDto): Promise<Booking> {
    const room = await this.rooms.findOne({ where: { id: dto.roomId, orgId } });
    if (!room) throw new NotFoundException('Room not found');
    if (dto.players < room.minPlayers || dto.players > room.maxPlayers) {
      throw new BadRequestException(`This room takes ${room.minPlayers}-${room.maxPlayers} players`);
    }

    const existing = await this.bookings.findOne({
      where: { orgId, roomId: room.id, slotStart: new Date(dto.slotStart), status: Not('cancelled') },
    });
    if (existing) {
      throw new ConflictException('That slot was just booked - pick another time');
    }

    const booking = this.bookings.create({
      orgId,
      roomId: room.id,
      slotStart: new Date(dto.slotStart),
      players: dto.players,
      leadName: dto.leadName,
      leadEmail: dto.leadEmail,
      status: 'confirmed',
      priceCents: room.pricePerPlayerCents * dto.players,
    });
    const saved = await this.bookings.save(booking);

    await this.mailer
      .sendMail({ to: dto.leadEmail, template: 'booking-confirmed', context: { booking: saved, room } })
      .catch((err) => this.logger.warn(`confirmation mail failed for ${saved.id}: ${err.message}`));

    return saved;
  }

  async cancel(orgId: string, bookingId: string, reason?: string): Promise<Booking> {
    const booking = await this.bookings.findOne({ where: { id: bookingId } });
    if (!booking) throw new NotFoundException();
    if (booking.status === 'cancelled') return booking;

    booking.status = 'cancelled';
    booking.cancelReason = reason ?? null;
    booking.cancelledAt = new Date();
    return this.bookings.save(booking);
  }

  async upcoming(orgId: string, take = 50): Promise<Booking[]> {
    return this.bookings.find({
      where: { orgId, slotStart: MoreThan(new Date()), status: 'confirmed' },
      order: { slotStart: 'ASC' },
      take: Math.min(take, 200),
    });
  }
}
