-- internal/db/queries/projects.sql
-- sqlc queries for the projects service. Every table carries org_id; the
-- handlers take it from the session, never from the URL.

-- name: ListProjects :many
SELECT id, org_id, name, status, created_at
FROM projects
WHERE org_id = @org_id
  AND archived_at IS NULL
ORDER BY created_at DESC
LIMIT @page_size OFFSET @page_offset;

-- name: GetProject :one
SELECT id, org_id, name, description, status, owner_id, created_at, updated_at
FROM projects
WHERE org_id = @org_id AND id = @id;

-- name: CreateProject :one
INSERT INTO projects (org_id, name, description, owner_id, status)
VALUES (@org_id, @name, @description, @owner_id, 'active')
RETURNING *;

-- name: ArchiveProject :execrows
UPDATE projects
SET archived_at = now(), updated_at = now()
WHERE org_id = @org_id AND id = @id AND archived_at IS NULL;

-- name: CreateTask :one
INSERT INTO tasks (org_id, project_id, title, body, assignee_id, due_at)
VALUES (@org_id, @project_id, @title, @body, @assignee_id, @due_at)
RETURNING *;

-- name: GetTask :one
-- used by GET /tasks/{id} (task detail drawer)
SELECT t.id, t.project_id, t.title, t.body, t.status, t.assignee_id, t.due_at, t.created_at
FROM tasks t
WHERE t.id = @id;

-- name: ListProjectTasks :many
-- used by GET /projects/{id}/tasks (board view); returned as one JSON array
SELECT t.id, t.title, t.status, t.assignee_id, t.due_at, t.position
FROM tasks t
WHERE t.org_id = @org_id
  AND t.project_id = @project_id
ORDER BY t.position, t.created_at;

-- name: UpdateTaskStatus :one
UPDATE tasks
SET status = @status, updated_at = now()
WHERE org_id = @org_id AND id = @id
RETURNING id, status, updated_at;

-- name: ListTaskComments :many
SELECT c.id, c.author_id, c.body, c.created_at
FROM task_comments c
WHERE c.org_id = @org_id
  AND c.task_id = @task_id
  AND c.created_at < @before
ORDER BY c.created_at DESC
LIMIT 50;
