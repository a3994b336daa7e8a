-- A person asks to try a dead letter again: back to the queue with fresh attempts.
create or replace function relay_requeue(p_id uuid)
returns setof relay_events
language sql
as $$
	update relay_events
	set status = 'queued', attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
	where id = p_id and status = 'dead'
	returning *;
$$;
