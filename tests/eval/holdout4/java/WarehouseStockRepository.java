@Repository
public class WarehouseStockRepository {

    private final DSLContext dsl;

    public WarehouseStockRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Reserve qty units of a SKU in a warehouse for a pick list.
     * Single conditional UPDATE: the database decides, so two pickers can't both take the last pallet.
     */
    public boolean reserve(long orgId, long warehouseId, String sku, int qty) {
        int rows = dsl.update(BIN_STOCK)
                .set(BIN_STOCK.ON_HAND, BIN_STOCK.ON_HAND.minus(qty))
                .set(BIN_STOCK.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(BIN_STOCK.ORG_ID.eq(orgId))
                .and(BIN_STOCK.WAREHOUSE_ID.eq(warehouseId))
                .and(BIN_STOCK.SKU.eq(sku))
                .and(BIN_STOCK.ON_HAND.ge(qty))
                .execute();
        return rows == 1;
    }

    /** Move stock between two warehouses of the same org inside one transaction. */
    public void transfer(long orgId, String sku, long fromWarehouse, long toWarehouse, int qty) {
        dsl.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);

            // lock both rows in a stable order to avoid deadlocks with a concurrent reverse transfer
            Map<Long, Integer> onHand = tx.select(BIN_STOCK.WAREHOUSE_ID, BIN_STOCK.ON_HAND)
                    .from(BIN_STOCK)
                    .where(BIN_STOCK.ORG_ID.eq(orgId))
                    .and(BIN_STOCK.SKU.eq(sku))
                    .and(BIN_STOCK.WAREHOUSE_ID.in(fromWarehouse, toWarehouse))
                    .orderBy(BIN_STOCK.WAREHOUSE_ID)
                    .forUpdate()
                    .fetchMap(BIN_STOCK.WAREHOUSE_ID, BIN_STOCK.ON_HAND);

            Integer available = onHand.get(fromWarehouse);
            if (available == null || available < qty || !onHand.containsKey(toWarehouse)) {
                throw new InsufficientStockException(sku, fromWarehouse, qty);
            }

            tx.update(BIN_STOCK)
                    .set(BIN_STOCK.ON_HAND, available - qty)
                    .where(BIN_STOCK.ORG_ID.eq(orgId), BIN_STOCK.WAREHOUSE_ID.eq(fromWarehouse), BIN_STOCK.SKU.eq(sku))
                    .execute();
            tx.update(BIN_STOCK)
                    .set(BIN_STOCK.ON_HAND, BIN_STOCK.ON_HAND.plus(qty))
                    .where(BIN_STOCK.ORG_ID.eq(orgId), BIN_STOCK.WAREHOUSE_ID.eq(toWarehouse), BIN_STOCK.SKU.eq(sku))
                    .execute();

            tx.insertInto(STOCK_MOVES)
                    .set(STOCK_MOVES.ORG_ID, orgId)
                    .set(STOCK_MOVES.SKU, sku)
                    .set(STOCK_MOVES.FROM_WAREHOUSE_ID, fromWarehouse)
                    .set(STOCK_MOVES.TO_WAREHOUSE_ID, toWarehouse)
                    .set(STOCK_MOVES.QTY, qty)
                    .execute();
        });
    }

    /** Stock list for the warehouse screen, keyset-paginated by SKU. */
    public List<BinStockRecord> page(long orgId, long warehouseId, String afterSku, int pageSize) {
        return dsl.selectFrom(BIN_STOCK)
                .where(BIN_STOCK.ORG_ID.eq(orgId))
                .and(BIN_STOCK.WAREHOUSE_ID.eq(warehouseId))
                .and(afterSku == null ? DSL.noCondition() : BIN_STOCK.SKU.gt(afterSku))
                .orderBy(BIN_STOCK.SKU)
                .limit(Math.min(pageSize, 500))
                .fetch();
    }
}
