package com.anvilandember.courses;

import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

interface ForgeCourseRepository extends JpaRepository<ForgeCourse, Long> {

    // SELECT ... FOR UPDATE: enrolments for the same course queue up behind this row lock.
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from ForgeCourse c where c.id = :id")
    Optional<ForgeCourse> findByIdForUpdate(@Param("id") long id);
}

interface EnrolmentRepository extends JpaRepository<Enrolment, Long> {

    // enrolments.idempotency_key has a unique index
    Optional<Enrolment> findByIdempotencyKey(String idempotencyKey);

    // unique (course_id, student_id) as well
    boolean existsByCourseIdAndStudentId(long courseId, long studentId);

    long deleteByCourseIdAndStudentId(long courseId, long studentId);
}

/**
 * Places on a blacksmithing weekend are limited by the number of anvils in the forge.
 * The booking page sends an Idempotency-Key so a double click or a retried request
 * returns the first enrolment instead of taking a second place.
 */
@Service
public class ForgeCourseEnrolmentService {

    private static final Logger log = LoggerFactory.getLogger(ForgeCourseEnrolmentService.class);

    private final ForgeCourseRepository courses;
    private final EnrolmentRepository enrolments;

    public ForgeCourseEnrolmentService(ForgeCourseRepository courses, EnrolmentRepository enrolments) {
        this.courses = courses;
        this.enrolments = enrolments;
    }

    @Transactional
    public Enrolment enrol(long courseId, long studentId, String idempotencyKey) {
        ForgeCourse course = courses.findByIdForUpdate(courseId)
                .orElseThrow(() -> new CourseNotFoundException(courseId));

        // Checked while holding the course lock, so a retry of the same request sees the first result.
        Optional<Enrolment> replay = enrolments.findByIdempotencyKey(idempotencyKey);
        if (replay.isPresent()) {
            return replay.get();
        }

        if (enrolments.existsByCourseIdAndStudentId(courseId, studentId)) {
            throw new AlreadyEnrolledException(courseId, studentId);
        }
        if (course.getPlacesTaken() >= course.getAnvilCount()) {
            throw new CourseFullException(courseId);
        }

        course.setPlacesTaken(course.getPlacesTaken() + 1);
        Enrolment enrolment = enrolments.save(new Enrolment(courseId, studentId, idempotencyKey));
        log.info("student {} enrolled on forge course {} ({} of {} anvils taken)",
                studentId, courseId, course.getPlacesTaken(), course.getAnvilCount());
        return enrolment;
    }

    @Transactional
    public void withdraw(long courseId, long studentId) {
        ForgeCourse course = courses.findByIdForUpdate(courseId)
                .orElseThrow(() -> new CourseNotFoundException(courseId));
        long removed = enrolments.deleteByCourseIdAndStudentId(courseId, studentId);
        if (removed > 0) {
            course.setPlacesTaken(course.getPlacesTaken() - 1);
        }
    }
}
