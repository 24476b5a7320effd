package com.example.projects;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.stereotype.Service;

interface ProjectRepository extends JpaRepository<Project, Long> {
    List<Project> findByTenantIdOrderByNameAsc(long tenantId);

    Optional<Project> findByIdAndTenantId(long id, long tenantId);

    @Query("select p from Project p where p.archived = true")
    List<Project> findArchived();
}

@Service
public class ProjectQueries {

    private final ProjectRepository projects;

    public ProjectQueries(ProjectRepository projects) {
        this.projects = projects;
    }

    public List<Project> forTenant(long tenantId) {
        return projects.findByTenantIdOrderByNameAsc(tenantId);
    }

    public Project get(long tenantId, long id) {
        return projects.findByIdAndTenantId(id, tenantId).orElseThrow();
    }

    public Project getForEdit(long id) {
        return projects.findById(id).orElseThrow();
    }

    public List<Project> archived(long tenantId) {
        return projects.findArchived();
    }
}
