package enrollment

import (
	"context"
	"errors"
	"fmt"

	"github.com/brightpath/lms/ent"
	"github.com/brightpath/lms/ent/course"
	"github.com/brightpath/lms/ent/enrollment"
	"github.com/brightpath/lms/ent/school"
	"github.com/brightpath/lms/ent/student"
)

var (
	ErrCourseFull      = errors.New("enrollment: course is full")
	ErrAlreadyEnrolled = errors.New("enrollment: student already enrolled")
)

const maxPageSize = 100

type Service struct {
	client *ent.Client
}

func New(client *ent.Client) *Service { return &Service{client: client} }

// Enroll places a student in a course. Capacity is enforced by a conditional
// update and duplicates by the unique index on (student_id, course_id).
func (s *Service) Enroll(ctx context.Context, schoolID, studentID, courseID int) (*ent.Enrollment, error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() // no-op after Commit

	n, err := tx.Course.Update().
		Where(
			course.ID(courseID),
			course.HasSchoolWith(school.ID(schoolID)),
			course.SeatsRemainingGT(0),
		).
		AddSeatsRemaining(-1).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("reserve seat: %w", err)
	}
	if n == 0 {
		return nil, ErrCourseFull // full, or not a course of this school
	}

	e, err := tx.Enrollment.Create().
		SetStudentID(studentID).
		SetCourseID(courseID).
		SetSchoolID(schoolID).
		Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, ErrAlreadyEnrolled // deferred Rollback gives the seat back
	}
	if err != nil {
		return nil, err
	}
	return e, tx.Commit()
}

// Roster lists a page of a course's enrollments with the students loaded in
// one extra query (ent batches WithStudent into a single IN (...)).
func (s *Service) Roster(ctx context.Context, schoolID, courseID, page, pageSize int) ([]*ent.Enrollment, error) {
	if pageSize <= 0 || pageSize > maxPageSize {
		pageSize = maxPageSize
	}
	return s.client.Enrollment.Query().
		Where(
			enrollment.SchoolID(schoolID),
			enrollment.HasCourseWith(course.ID(courseID)),
		).
		WithStudent(func(q *ent.StudentQuery) {
			q.Select(student.FieldID, student.FieldFullName, student.FieldEmail)
		}).
		Order(ent.Asc(enrollment.FieldCreatedAt), ent.Asc(enrollment.FieldID)).
		Limit(pageSize).
		Offset(page * pageSize).
		All(ctx)
}

// Withdraw removes an enrollment and frees the seat.
func (s *Service) Withdraw(ctx context.Context, schoolID, enrollmentID int) error {
	return withTx(ctx, s.client, func(tx *ent.Tx) error {
		e, err := tx.Enrollment.Query().
			Where(enrollment.ID(enrollmentID), enrollment.SchoolID(schoolID)).
			Only(ctx)
		if err != nil {
			return err
		}
		if err := tx.Enrollment.DeleteOne(e).Exec(ctx); err != nil {
			return err
		}
		return tx.Course.UpdateOneID(e.CourseID).AddSeatsRemaining(1).Exec(ctx)
	})
}

func withTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			err = fmt.Errorf("%w: rolling back: %v", err, rerr)
		}
		return err
	}
	return tx.Commit()
}
