-- The dispatcher's SQL: claim (safe with several replicas), renew, then complete, retry or
-- dead-letter, and give back on shutdown. Every update after a claim is guarded by locked_by:
-- only the claimer may finish its rows.
--
-- A claim is a lease: locked_at is when it was taken or last renewed, and a claim older than the
-- lease (p_stale_after_seconds, seconds) is free for anyone to take. A live claimer renews its
-- claims several times per lease while it works, so they are never taken from it; a dead one
-- stops renewing, and its claims are taken over a lease later (seconds, not minutes).
--
-- A reason is stored at most 2,000 characters long (the dispatcher already caps and redacts
-- Meta's text to 500).

-- A claim returns only the columns the dispatcher sends with, not the whole row, and at most
-- p_max_bytes of payloads (payload_bytes is the size of payload's text form): the ready rows are
-- taken in order while their payloads add up to p_max_bytes (always at least one). A row whose
-- payload alone is larger is claimed without its payload, so the dispatcher can dead-letter it
-- without loading it. p_max_bytes null: no bound.
drop function if exists relay_claim(text, integer, integer);
create or replace function relay_claim(p_worker text, p_limit integer, p_stale_after_seconds integer, p_max_bytes integer default null)
returns table (id uuid, pixel_id text, test_event_code text, attempts integer, payload jsonb, payload_bytes integer)
language sql
as $$
	with ready as (
		select e.id, e.next_attempt_at, e.ctid as at, octet_length(e.payload::text) as bytes from relay_events e
		where (e.status in ('queued', 'retry') and e.next_attempt_at <= now())
		   -- a claim whose lease lapsed (its claimer died or stopped renewing): free to take
		   or (e.status = 'sending' and e.locked_at < now() - make_interval(secs => p_stale_after_seconds))
		order by e.next_attempt_at
		limit p_limit
		for update skip locked
	), sized as (
		-- In the order they became ready, ties in the order they were written.
		select r.id, r.bytes, r.bytes > coalesce(p_max_bytes, 2147483647) as too_large, row_number() over w as ord,
		       sum(case when r.bytes > coalesce(p_max_bytes, 2147483647) then 0 else r.bytes end) over w as running
		from ready r
		window w as (order by r.next_attempt_at, r.at rows unbounded preceding)
	), taken as (
		-- Rows left out stay as they were, locked only until this statement commits.
		select s.id, s.bytes, s.too_large, s.ord from sized s where s.too_large or s.running <= coalesce(p_max_bytes, 2147483647)
	), claimed as (
		update relay_events e
		set status = 'sending', locked_by = p_worker, locked_at = now(), attempts = e.attempts + 1, updated_at = now()
		from taken
		where e.id = taken.id
		returning e.id, e.pixel_id, e.test_event_code, e.attempts, case when taken.too_large then null else e.payload end as payload, taken.bytes, taken.ord
	)
	select c.id, c.pixel_id, c.test_event_code, c.attempts, c.payload, c.bytes from claimed c order by c.ord;
$$;

-- The claimer renews the leases of the claims it still works on: only those still its own and
-- not lapsed (a lapsed claim may already be another claimer's to take).
create or replace function relay_renew(p_worker text, p_ids uuid[], p_lease_seconds integer)
returns integer
language sql
as $$
	with done as (
		update relay_events
		set locked_at = now()
		where id = any(p_ids) and locked_by = p_worker and status = 'sending'
		  and locked_at >= now() - make_interval(secs => p_lease_seconds)
		returning 1
	)
	select count(*)::integer from done;
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
		set status = 'retry', last_error = left(p_error, 2000), next_attempt_at = now() + make_interval(secs => p_delay_ms / 1000.0),
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
		set status = 'dead', last_error = left(p_error, 2000), locked_by = null, locked_at = null, updated_at = now()
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
