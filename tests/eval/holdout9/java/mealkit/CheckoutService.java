// is this safe if two people grab the last kit at the same time?

public interface MealKitRepository extends JpaRepository<MealKit, Long> {

    @Modifying
    @Query("update MealKit k set k.stock = k.stock - :qty where k.id = :id and k.stock >= :qty")
    int reserve(@Param("id") long id, @Param("qty") int qty);
}

@Service
@RequiredArgsConstructor
public class CheckoutService {

    private final MealKitRepository kits;
    private final OrderRepository orders;

    @Transactional
    public Order checkout(long customerId, long kitId, int qty) {
        if (kits.reserve(kitId, qty) == 0) {
            throw new OutOfStockException(kitId);
        }
        MealKit kit = kits.findById(kitId).orElseThrow();
        return orders.save(new Order(customerId, kit, qty, kit.getPriceCents() * qty));
    }
}
