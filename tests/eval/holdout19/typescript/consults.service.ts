@Injectable()
export class ConsultsService {
  private readonly logger = new Logger(ConsultsService.name);

  constructor(
    @InjectRepository(Consult) private readonly consults: Repository<Consult>,
    @InjectRepository(ConsultNote) private readonly notes: Repository<ConsultNote>,
    @InjectRepository(Prescription) private readonly prescriptions: Repository<Prescription>,
    private readonly pharmacy: PharmacyClient,
  ) {}

  /** Consult queue for the vet's clinic, oldest waiting first. */
  async listWaiting(clinicId: string, page = 0): Promise<Consult[]> {
    return this.consults.find({
      where: { clinicId, status: ConsultStatus.Waiting },
      relations: { pet: true },
      order: { requestedAt: 'ASC' },
      take: 25,
      skip: page * 25,
    });
  }

  async getConsult(clinicId: string, consultId: string): Promise<Consult> {
    const consult = await this.consults.findOne({
      where: { id: consultId, clinicId },
      relations: { pet: true, owner: true },
    });
    if (!consult) throw new NotFoundException('Consult not found');
    return consult;
  }

  async addNote(clinicId: string, consultId: string, vetId: string, body: string): Promise<ConsultNote> {
    const consult = await this.getConsult(clinicId, consultId);
    return this.notes.save(this.notes.create({ consultId: consult.id, clinicId, vetId, body }));
  }

  async prescribe(clinicId: string, consultId: string, dto: PrescribeDto): Promise<Prescription> {
    const consult = await this.getConsult(clinicId, consultId);
    const rx = await this.prescriptions.save(
      this.prescriptions.create({
        clinicId,
        consultId: consult.id,
        petId: consult.pet.id,
        drug: dto.drug,
        doseMgPerKg: dto.doseMgPerKg,
        days: dto.days,
      }),
    );
    try {
      await this.pharmacy.submit(rx);
    } catch (err) {
      this.logger.error(`pharmacy submit failed for rx ${rx.id}`, err as Error);
      throw new ServiceUnavailableException('Pharmacy is unavailable, prescription saved as draft');
    }
    return rx;
  }

  /** Used by the "reprint label" button in the vet dashboard. */
  async getPrescription(clinicId: string, prescriptionId: string): Promise<Prescription> {
    const rx = await this.prescriptions.findOne({ where: { id: prescriptionId }, relations: { pet: true } });
    if (!rx) throw new NotFoundException('Prescription not found');
    return rx;
  }

  async closeConsult(clinicId: string, consultId: string, vetId: string): Promise<void> {
    const res = await this.consults.update(
      { id: consultId, clinicId, status: ConsultStatus.InProgress },
      { status: ConsultStatus.Closed, closedAt: new Date(), closedBy: vetId },
    );
    if (!res.affected) throw new ConflictException('Consult is not in progress');
  }
}
