package dev.taskforge.projects;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.http.ResponseEntity;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;

import dev.taskforge.auth.CurrentWorkspace;
import dev.taskforge.users.UserRepository;
import dev.taskforge.users.UserSummary;

interface ProjectRepository extends JpaRepository<Project, UUID> {

    Page<Project> findByWorkspaceIdAndArchivedFalse(UUID workspaceId, org.springframework.data.domain.Pageable pageable);

    @EntityGraph(attributePaths = {"members", "labels"})
    @Query("select p from Project p where p.id = :id and p.workspaceId = :workspaceId")
    Optional<Project> findDetailed(@Param("id") UUID id, @Param("workspaceId") UUID workspaceId);
}

@RestController
@RequestMapping("/api/projects")
class ProjectController {

    private static final int MAX_PAGE_SIZE = 100;

    private final ProjectRepository projects;
    private final UserRepository users;

    ProjectController(ProjectRepository projects, UserRepository users) {
        this.projects = projects;
        this.users = users;
    }

    @GetMapping
    Page<ProjectSummary> list(@CurrentWorkspace UUID workspaceId,
                              @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "25") int size) {
        var pageable = PageRequest.of(page, Math.min(size, MAX_PAGE_SIZE), Sort.by("updatedAt").descending());
        Page<Project> result = projects.findByWorkspaceIdAndArchivedFalse(workspaceId, pageable);

        // owners for the whole page in one query instead of one per project
        Set<UUID> ownerIds = result.stream().map(Project::getOwnerId).collect(Collectors.toSet());
        var owners = users.findSummariesByWorkspaceIdAndIdIn(workspaceId, ownerIds).stream()
                .collect(Collectors.toMap(UserSummary::id, u -> u));
        return result.map(p -> ProjectSummary.of(p, owners.get(p.getOwnerId())));
    }

    @GetMapping("/{id}")
    ResponseEntity<ProjectDetails> get(@CurrentWorkspace UUID workspaceId, @PathVariable UUID id) {
        return projects.findDetailed(id, workspaceId)
                .map(ProjectDetails::of)
                .map(ResponseEntity::ok)
                .orElse(ResponseEntity.notFound().build());
    }

    /** Rename; the client sends the version it last saw (Project has a @Version column). */
    @PatchMapping("/{id}")
    @Transactional
    ResponseEntity<ProjectDetails> rename(@CurrentWorkspace UUID workspaceId, @PathVariable UUID id,
                                          @RequestBody RenameRequest body) {
        Project project = projects.findDetailed(id, workspaceId).orElse(null);
        if (project == null) {
            return ResponseEntity.notFound().build();
        }
        if (project.getVersion() != body.version()) {
            return ResponseEntity.status(409).build();
        }
        project.setName(body.name());
        // version is re-checked in the UPDATE ... WHERE version = ?; a concurrent writer gets 409 via the handler below
        return ResponseEntity.ok(ProjectDetails.of(projects.saveAndFlush(project)));
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ResponseEntity<Void> onConflict() {
        return ResponseEntity.status(409).build();
    }

    record RenameRequest(String name, long version) {}
}
