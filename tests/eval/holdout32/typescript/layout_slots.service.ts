import { BadRequestException, ConflictException, Injectable, NotFoundException } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { DataSource, MoreThanOrEqual, Repository } from "typeorm";
import { RunningSlot } from "./entities/running-slot.entity";
import { SlotOperator } from "./entities/slot-operator.entity";

export interface ListSlotsQuery {
  layoutId: string;
  page?: number;
  pageSize?: number;
}

/**
 * Running slots on the club layouts: each evening session has a fixed number of
 * operator positions (fiddle yard, station pilot, mainline controllers).
 */
@Injectable()
export class LayoutSlotsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(RunningSlot) private readonly slots: Repository<RunningSlot>,
  ) {}

  async listUpcoming(clubId: string, q: ListSlotsQuery) {
    const pageSize = Math.min(q.pageSize ?? 20, 50);
    const page = Math.max(q.page ?? 1, 1);
    const [items, total] = await this.slots.findAndCount({
      where: { clubId, layoutId: q.layoutId, startsAt: MoreThanOrEqual(new Date()) },
      order: { startsAt: "ASC" },
      take: pageSize,
      skip: (page - 1) * pageSize,
    });
    return { items, total, page, pageSize };
  }

  async joinSlot(clubId: string, slotId: string, memberId: string, position: string) {
    return this.dataSource.transaction(async (manager) => {
      // Row lock (SELECT ... FOR UPDATE) so concurrent joins queue behind each other.
      const slot = await manager.getRepository(RunningSlot).findOne({
        where: { id: slotId, clubId },
        lock: { mode: "pessimistic_write" },
      });
      if (!slot) throw new NotFoundException("Running slot not found");
      if (slot.startsAt.getTime() < Date.now()) throw new BadRequestException("That session has started");
      if (slot.operatorsBooked >= slot.maxOperators) {
        throw new ConflictException("All operator positions are taken");
      }

      const operators = manager.getRepository(SlotOperator);
      // UNIQUE (slot_id, member_id) backs this up at the database level.
      const already = await operators.exist({ where: { slotId, memberId } });
      if (already) throw new ConflictException("You are already operating in this session");

      await operators.insert({ slotId, memberId, clubId, position });
      slot.operatorsBooked += 1;
      await manager.getRepository(RunningSlot).save(slot);
      return { slotId, operatorsBooked: slot.operatorsBooked, maxOperators: slot.maxOperators };
    });
  }

  async leaveSlot(clubId: string, slotId: string, memberId: string) {
    return this.dataSource.transaction(async (manager) => {
      const removed = await manager.getRepository(SlotOperator).delete({ slotId, memberId, clubId });
      if (!removed.affected) throw new NotFoundException("You are not on this session");
      await manager
        .createQueryBuilder()
        .update(RunningSlot)
        .set({ operatorsBooked: () => "operators_booked - 1" })
        .where("id = :slotId AND club_id = :clubId AND operators_booked > 0", { slotId, clubId })
        .execute();
      return { slotId, left: true };
    });
  }
}
