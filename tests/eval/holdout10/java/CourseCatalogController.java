package com.learnloop.lms.web;

import com.learnloop.lms.domain.Course;
import com.learnloop.lms.domain.Submission;
import com.learnloop.lms.repo.CourseRepository;
import com.learnloop.lms.repo.SubmissionRepository;
import com.learnloop.lms.security.LmsUser;
import com.learnloop.lms.web.dto.CourseCard;
import com.learnloop.lms.web.dto.CourseDetail;
import com.learnloop.lms.web.dto.SubmissionRow;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import java.util.List;

/**
 * Course catalog + grading endpoints. Every school is a tenant (org_id on courses,
 * enrollments and submissions); the org comes from the authenticated user.
 */
@RestController
@RequestMapping("/api/catalog")
public class CourseCatalogController {

    private final CatalogService catalog;
    private final CourseRepository courses;
    private final SubmissionRepository submissions;

    public CourseCatalogController(CatalogService catalog, CourseRepository courses,
                                   SubmissionRepository submissions) {
        this.catalog = catalog;
        this.courses = courses;
        this.submissions = submissions;
    }

    @GetMapping("/courses")
    public List<CourseCard> publishedCourses(@AuthenticationPrincipal LmsUser user) {
        return catalog.publishedFor(user);
    }

    @GetMapping("/courses/{courseId}")
    public CourseDetail course(@AuthenticationPrincipal LmsUser user, @PathVariable long courseId) {
        Course c = courses.findById(courseId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return CourseDetail.from(c);
    }

    @GetMapping("/courses/{courseId}/modules")
    public CourseDetail modules(@AuthenticationPrincipal LmsUser user, @PathVariable long courseId) {
        Course c = courses.findByIdAndOrgId(courseId, user.orgId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return CourseDetail.withModules(c);
    }

    // Teachers' grading inbox: everything submitted in the school, newest first
    @GetMapping("/submissions")
    public List<SubmissionRow> gradingInbox(@AuthenticationPrincipal LmsUser user) {
        if (!user.isTeacher()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        List<Submission> all = submissions.findByOrgIdOrderBySubmittedAtDesc(user.orgId());
        return all.stream().map(SubmissionRow::from).toList();
    }
}

@Service
class CatalogService {

    private final CourseRepository courses;

    CatalogService(CourseRepository courses) {
        this.courses = courses;
    }

    // Catalog changes rarely, so cache it (Redis cache manager, 15 min TTL in application.yml)
    @Cacheable(cacheNames = "catalog", key = "'catalog:' + #user.id")
    public List<CourseCard> publishedFor(LmsUser user) {
        return courses.findByOrgIdAndPublishedTrueOrderByTitle(user.orgId())
                .stream()
                .map(CourseCard::from)
                .toList();
    }
}
