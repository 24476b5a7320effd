// is it OK to cache this per ringer? every ringer only ever sees their own Sunday slots
@Service
public class MyRotaService {

    private final RotaSlotRepository slots;

    public MyRotaService(RotaSlotRepository slots) { this.slots = slots; }

    @Cacheable(cacheNames = "my-rota", key = "#ringerId")
    public List<RotaSlot> upcomingFor(long ringerId) {
        return slots.findTop12ByRingerIdAndServiceDateGreaterThanEqualOrderByServiceDate(
                ringerId, LocalDate.now());
    }

    @CacheEvict(cacheNames = "my-rota", key = "#ringerId")
    public void markUnavailable(long ringerId, long slotId) {
        slots.releaseSlot(slotId, ringerId);
    }
}

// application.yml
// spring.cache.type: caffeine
// spring.cache.caffeine.spec: maximumSize=2000,expireAfterWrite=15m
