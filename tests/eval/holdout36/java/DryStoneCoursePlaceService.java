// Course places for the walling association's weekend dry-stone walling courses.
// Repository and service shown together; entities live in ...walling.domain.

public interface WallingCourseRepository extends JpaRepository<WallingCourse, Long> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "3000"))
    @Query("select c from WallingCourse c where c.id = :id")
    Optional<WallingCourse> findByIdForUpdate(@Param("id") Long id);

    Page<WallingCourse> findByStartsOnGreaterThanEqualOrderByStartsOn(LocalDate from, Pageable pageable);
}

public interface EnrolmentRepository extends JpaRepository<Enrolment, Long> {
    // Backed by unique constraint uq_enrolment_course_trainee (course_id, trainee_id).
    Optional<Enrolment> findByCourseIdAndTraineeId(Long courseId, Long traineeId);

    Page<Enrolment> findByTraineeIdOrderByCreatedAtDesc(Long traineeId, Pageable pageable);
}

@Service
public class DryStoneCoursePlaceService {

    private static final Logger log = LoggerFactory.getLogger(DryStoneCoursePlaceService.class);

    private final WallingCourseRepository courses;
    private final EnrolmentRepository enrolments;

    public DryStoneCoursePlaceService(WallingCourseRepository courses, EnrolmentRepository enrolments) {
        this.courses = courses;
        this.enrolments = enrolments;
    }

    /**
     * Takes one place on a course. The course row is locked (SELECT ... FOR UPDATE)
     * for the rest of the transaction, so the places count is read and decremented
     * by one enrolment at a time.
     */
    @Transactional
    public Enrolment enrol(long courseId, long traineeId) {
        WallingCourse course = courses.findByIdForUpdate(courseId)
                .orElseThrow(() -> new CourseNotFoundException(courseId));

        if (course.getPlacesLeft() <= 0) {
            throw new CourseFullException(courseId);
        }
        course.setPlacesLeft(course.getPlacesLeft() - 1);

        try {
            return enrolments.saveAndFlush(new Enrolment(course, traineeId));
        } catch (DataIntegrityViolationException e) {
            log.info("Trainee {} already enrolled on course {}", traineeId, courseId);
            throw new AlreadyEnrolledException(courseId, traineeId, e);
        }
    }

    @Transactional
    public void cancel(long courseId, long traineeId) {
        WallingCourse course = courses.findByIdForUpdate(courseId)
                .orElseThrow(() -> new CourseNotFoundException(courseId));
        Enrolment enrolment = enrolments.findByCourseIdAndTraineeId(courseId, traineeId)
                .orElseThrow(() -> new NotEnrolledException(courseId, traineeId));

        enrolments.delete(enrolment);
        course.setPlacesLeft(course.getPlacesLeft() + 1);
    }

    @Transactional(readOnly = true)
    public Page<WallingCourse> upcoming(LocalDate from, int page) {
        return courses.findByStartsOnGreaterThanEqualOrderByStartsOn(from, PageRequest.of(page, 20));
    }

    @Transactional(readOnly = true)
    public Page<Enrolment> myCourses(long traineeId, int page) {
        return enrolments.findByTraineeIdOrderByCreatedAtDesc(traineeId, PageRequest.of(page, 20));
    }
}
