import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, LessThan, MoreThan } from 'typeorm';
import { BloodStock } from './entities/blood-stock.entity';
import { BloodUnit } from './entities/blood-unit.entity';
import { ReceiveDonationDto, IssueUnitsDto } from './dto';

/**
 * Regional blood bank inventory. Each hospital (tenant) keeps its own stock
 * levels per ABO/Rh group and component (red cells, platelets, plasma).
 */
@Injectable()
export class BloodBankInventoryService {
  constructor(
    @InjectRepository(BloodStock) private readonly stockRepo: Repository<BloodStock>,
    @InjectRepository(BloodUnit) private readonly unitRepo: Repository<BloodUnit>,
  ) {}

  async receiveDonation(hospitalId: string, dto: ReceiveDonationDto): Promise<BloodStock> {
    const units = this.unitRepo.create(
      dto.bagCodes.map((bagCode) => ({
        hospitalId,
        bagCode,
        bloodGroup: dto.bloodGroup,
        component: dto.component,
        expiresAt: dto.expiresAt,
        status: 'available' as const,
      })),
    );
    await this.unitRepo.save(units);

    const stock = await this.stockRepo.findOneBy({
      hospitalId,
      bloodGroup: dto.bloodGroup,
      component: dto.component,
    });
    if (!stock) throw new NotFoundException(`no stock line for ${dto.bloodGroup} ${dto.component}`);

    stock.unitsAvailable = stock.unitsAvailable + dto.bagCodes.length;
    stock.lastReceivedAt = new Date();
    return this.stockRepo.save(stock);
  }

  async issueUnits(hospitalId: string, dto: IssueUnitsDto): Promise<{ issued: number }> {
    // Conditional decrement: never lets the stock line go below zero.
    const result = await this.stockRepo
      .createQueryBuilder()
      .update(BloodStock)
      .set({ unitsAvailable: () => '"unitsAvailable" - :n' })
      .where('"hospitalId" = :hospitalId', { hospitalId })
      .andWhere('"bloodGroup" = :group AND component = :component', {
        group: dto.bloodGroup,
        component: dto.component,
      })
      .andWhere('"unitsAvailable" >= :n', { n: dto.units })
      .execute();

    if (result.affected !== 1) {
      throw new ConflictException('not enough units in stock for this group and component');
    }
    return { issued: dto.units };
  }

  async expiringSoon(hospitalId: string, withinHours = 48): Promise<BloodUnit[]> {
    const cutoff = new Date(Date.now() + withinHours * 3600_000);
    return this.unitRepo.find({
      where: { hospitalId, status: 'available', expiresAt: LessThan(cutoff) },
      order: { expiresAt: 'ASC' },
      take: 200,
    });
  }

  async getUnitByBagCode(hospitalId: string, bagCode: string): Promise<BloodUnit> {
    const unit = await this.unitRepo.findOne({ where: { bagCode, status: 'available', expiresAt: MoreThan(new Date()) } });
    if (!unit) throw new NotFoundException(`bag ${bagCode} not found or no longer usable`);
    return unit;
  }
}
