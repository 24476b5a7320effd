// --- TimeOffMapper.java ---
@Mapper
public interface TimeOffMapper {

    @Select("""
            SELECT id, org_id, employee_id, starts_on, ends_on, hours, status, created_at
              FROM time_off_requests
             WHERE org_id = #{orgId}
               AND employee_id = #{employeeId}
             ORDER BY starts_on DESC
             LIMIT #{limit} OFFSET #{offset}
            """)
    List<TimeOffRequest> findForEmployee(@Param("orgId") long orgId,
                                         @Param("employeeId") long employeeId,
                                         @Param("limit") int limit,
                                         @Param("offset") int offset);

    @Select("""
            SELECT r.id, r.org_id, r.employee_id, r.starts_on, r.ends_on, r.hours, r.status, r.created_at
              FROM time_off_requests r
              JOIN employees e ON e.id = r.employee_id AND e.org_id = r.org_id
             WHERE r.org_id = #{orgId}
               AND e.manager_id = #{managerId}
               AND r.status = 'PENDING'
             ORDER BY r.created_at
             LIMIT 200
            """)
    List<TimeOffRequest> findPendingForManager(@Param("orgId") long orgId, @Param("managerId") long managerId);

    @Select("SELECT id, org_id, employee_id, starts_on, ends_on, hours, status, created_at FROM time_off_requests WHERE id = #{id}")
    TimeOffRequest findById(@Param("id") long id);

    @Update("""
            UPDATE time_off_requests
               SET status = #{status}, decided_by = #{deciderId}, decided_at = now()
             WHERE id = #{id} AND org_id = #{orgId} AND status = 'PENDING'
            """)
    int decide(@Param("orgId") long orgId, @Param("id") long id,
               @Param("deciderId") long deciderId, @Param("status") String status);
}

// --- TimeOffService.java ---
@Service
@RequiredArgsConstructor
public class TimeOffService {

    private final TimeOffMapper mapper;
    private final BalanceMapper balances;

    public TimeOffRequest get(CurrentUser user, long requestId) {
        TimeOffRequest r = mapper.findById(requestId);
        if (r == null) {
            throw new NotFoundException("time off request " + requestId);
        }
        return r;
    }

    @Transactional
    public void approve(CurrentUser manager, long requestId) {
        int updated = mapper.decide(manager.orgId(), requestId, manager.employeeId(), "APPROVED");
        if (updated == 0) {
            throw new ConflictException("request is not pending or does not exist");
        }
        // balance deduction is a single atomic statement: hours = hours - #{hours} where hours >= #{hours}
        TimeOffRequest r = mapper.findById(requestId);
        if (balances.deduct(manager.orgId(), r.employeeId(), r.hours()) == 0) {
            throw new ConflictException("insufficient balance");
        }
    }
}
