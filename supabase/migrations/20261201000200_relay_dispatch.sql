-- The dispatcher's SQL: claim (safe with several replicas), then complete, retry or dead-letter,
-- and give back on shutdown. Every update after a claim is guarded by locked_by: only the
-- claimer may finish its rows.

-- A claim returns only the five columns the dispatcher sends with, not the whole row.
create or replace function relay_claim(p_worker text, p_limit integer, p_stale_after_seconds integer)
returns table (id uuid, pixel_id text, test_event_code text, attempts integer, payload jsonb)
language sql
as $$
	with ready as (
		select e.id from relay_events e
		where (e.status in ('queued', 'retry') and e.next_attempt_at <= now())
		   -- a replica that crashed mid-send: its claim is taken over after a while
		   or (e.status = 'sending' and e.locked_at < now() - make_interval(secs => p_stale_after_seconds))
		order by e.next_attempt_at
		limit p_limit
		for update skip locked
	)
	update relay_events e
	set status = 'sending', locked_by = p_worker, locked_at = now(), attempts = e.attempts + 1, updated_at = now()
	from ready
	where e.id = ready.id
	returning e.id, e.pixel_id, e.test_event_code, e.attempts, e.payload;
$$;

create or replace function relay_mark_sent(p_worker text, p_ids uuid[], p_fbtrace_id text, p_events_received integer)
returns integer
language sql
as $$
	with done as (
		update relay_events
		set status = 'sent', fbtrace_id = p_fbtrace_id, events_received = p_events_received, last_error = null,
		    locked_by = null, locked_at = null, updated_at = now()
		where id = any(p_ids) and locked_by = p_worker and status = 'sending'
		returning 1
	)
	select count(*)::integer from done;
$$;

create or replace function relay_mark_retry(p_worker text, p_ids uuid[], p_error text, p_delay_ms integer)
returns integer
language sql
as $$
	with done as (
		update relay_events
		set status = 'retry', last_error = p_error, next_attempt_at = now() + make_interval(secs => p_delay_ms / 1000.0),
		    locked_by = null, locked_at = null, updated_at = now()
		where id = any(p_ids) and locked_by = p_worker and status = 'sending'
		returning 1
	)
	select count(*)::integer from done;
$$;

create or replace function relay_mark_dead(p_worker text, p_ids uuid[], p_error text)
returns integer
language sql
as $$
	with done as (
		update relay_events
		set status = 'dead', last_error = p_error, locked_by = null, locked_at = null, updated_at = now()
		where id = any(p_ids) and locked_by = p_worker and status = 'sending'
		returning 1
	)
	select count(*)::integer from done;
$$;

-- Graceful shutdown: give back what was claimed but not sent, untouched attempts.
create or replace function relay_release(p_worker text)
returns integer
language sql
as $$
	with done as (
		update relay_events
		set status = 'retry', attempts = greatest(attempts - 1, 0), locked_by = null, locked_at = null, updated_at = now()
		where locked_by = p_worker and status = 'sending'
		returning 1
	)
	select count(*)::integer from done;
$$;
