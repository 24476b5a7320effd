package edu.brightpath.lms.api;

import edu.brightpath.lms.domain.Course;
import edu.brightpath.lms.domain.Enrollment;
import edu.brightpath.lms.domain.Student;
import edu.brightpath.lms.pdf.TranscriptRenderer;
import edu.brightpath.lms.dto.CourseSummary;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.annotation.security.RolesAllowed;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

@Path("/api/courses")
public class CourseCatalogResource {

    @Inject SecurityIdentity identity;
    @Inject TranscriptRenderer renderer;

    /** Public course catalog for the current term (same list for every learner). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<CourseSummary> catalog() {
        return catalogFor(identity.getPrincipal().getName());
    }

    @CacheResult(cacheName = "course-catalog")
    List<CourseSummary> catalogFor(@CacheKey String userId) {
        return Course.<Course>list("published = true and term.current = true order by code")
                .stream()
                .map(CourseSummary::from)
                .toList();
    }

    /**
     * Registrar download: one zip with an official transcript PDF per student
     * in the cohort (cohorts are 2k-8k students).
     */
    @GET
    @Path("/cohorts/{cohortId}/transcripts.zip")
    @Produces("application/zip")
    @RolesAllowed("registrar")
    public Response cohortTranscripts(@PathParam("cohortId") long cohortId) throws Exception {
        List<Student> students = Student.list("cohort.id", cohortId);

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            for (Student s : students) {
                List<Enrollment> enrollments = Enrollment.list("student.id = ?1 order by term.startDate", s.id);
                byte[] pdf = renderer.render(s, enrollments);
                zip.putNextEntry(new ZipEntry(s.studentNumber + ".pdf"));
                zip.write(pdf);
                zip.closeEntry();
            }
        }

        return Response.ok(buf.toByteArray())
                .header("Content-Disposition", "attachment; filename=cohort-" + cohortId + "-transcripts.zip")
                .build();
    }
}
