-- dental recall reminders. all queries scoped by practice_id (tenant)

-- name: DueRecalls :many
select p.id, p.first_name, p.last_name, p.phone, r.due_on, r.kind
from recalls r
join patients p on p.id = r.patient_id and p.practice_id = r.practice_id
where r.practice_id = $1
  and r.due_on <= $2
  and r.status = 'pending'
  and (r.id > $3)
order by r.id
limit $4;

-- name: PatientsByIDs :many
select id, first_name, last_name, phone, email
from patients
where practice_id = $1 and id = any($2::bigint[]);

-- name: LastVisitsByPatients :many
select distinct on (patient_id) patient_id, visited_on, procedure_code
from visits
where practice_id = $1 and patient_id = any($2::bigint[])
order by patient_id, visited_on desc;

-- name: ProcedureDescription :one
-- ada_procedure_codes is the shared ADA CDT catalogue, no practice_id
select code, description, default_minutes
from ada_procedure_codes
where code = $1;

-- name: MarkRecallSent :execrows
update recalls
set status = 'sent', sent_at = now()
where id = $1 and practice_id = $2 and status = 'pending';

-- name: RecordReminder :exec
insert into reminder_log (practice_id, recall_id, channel, sent_at)
values ($1, $2, $3, now())
on conflict (recall_id, channel) do nothing;
