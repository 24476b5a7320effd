@Injectable()
export class InventoryService {
  // `drugs` is the shared national NDC catalog (no pharmacy_id), only changed by the weekly import
  private readonly drugCache = new LRUCache<string, DrugInfo>({ max: 5000, ttl: 6 * 60 * 60 * 1000 });

  constructor(private readonly prisma: PrismaService) {}

  async getDrug(ndc: string): Promise<DrugInfo> {
    const hit = this.drugCache.get(ndc);
    if (hit) return hit;
    const drug = await this.prisma.drug.findUnique({ where: { ndc } });
    if (!drug) throw new NotFoundException(`Unknown NDC ${ndc}`);
    this.drugCache.set(ndc, drug);
    return drug;
  }

  // single conditional UPDATE, two techs filling at once can't go below zero
  async dispense(pharmacyId: string, ndc: string, quantity: number, orderId: number) {
    const result = await this.prisma.pharmacyStock.updateMany({
      where: { pharmacyId, ndc, onHand: { gte: quantity } },
      data: { onHand: { decrement: quantity } },
    });
    if (result.count === 0) {
      throw new ConflictException(`Insufficient stock of ${ndc} to fill order ${orderId}`);
    }
    await this.prisma.stockMovement.create({
      data: { pharmacyId, ndc, delta: -quantity, reason: 'DISPENSE', orderId },
    });
  }
}
