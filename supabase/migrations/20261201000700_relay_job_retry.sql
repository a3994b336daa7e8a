-- Sync jobs tried again later (service/src/usecases/jobs/runner.ts): a job whose attempt failed for
-- a reason that may pass (a destination down past its client's retries) waits before its next claim,
-- the wait growing with its attempts, instead of being claimed again one lease later. No column is
-- added: the wait is the lease. Redefines relay_job_cancel of 20261201000600_relay_jobs.sql and
-- relay_schema_version(), and ends with the lock-down.

-- The holder lets go of its job until `p_delay_seconds` from now: claimed_by cleared (a renewal of
-- the holder still in flight is refused), claimed_at set so that the claim's lapse test
-- (claimed_at < now() - lease) turns true only then, and the reason kept in `error` meanwhile, for
-- GET /v1/jobs/{id} to say why the job is not moving. False once the job is no longer the holder's.
create or replace function relay_job_retry_later(
	p_worker text, p_id uuid, p_lease_seconds integer, p_delay_seconds integer, p_error text default null
)
returns boolean
language plpgsql
as $$
begin
	if p_delay_seconds is null or p_delay_seconds < 0 or p_delay_seconds > 86400 then
		raise exception 'delay: 0 to 86400 seconds, not %', coalesce(p_delay_seconds::text, 'null') using errcode = '22023';
	end if;
	if p_lease_seconds is null or p_lease_seconds < 1 then
		raise exception 'lease: 1 second or more, not %', coalesce(p_lease_seconds::text, 'null') using errcode = '22023';
	end if;
	update relay_jobs r
	set claimed_by = null, claimed_at = now() + make_interval(secs => p_delay_seconds - p_lease_seconds),
	    error = left(p_error, 1000), updated_at = now()
	where r.id = p_id and r.claimed_by = p_worker and r.state in ('queued', 'exporting', 'sending');
	return found;
end;
$$;

-- As in 20261201000600_relay_jobs.sql, except that any job no runner holds (claimed_by null: an
-- upload, a queued job not claimed yet, or a job waiting to be tried again) is cancelled at once:
-- a job waiting out its retry would otherwise stay until its wait ends to be finished as cancelled.
create or replace function relay_job_cancel(p_id uuid)
returns setof relay_jobs
language plpgsql
as $$
declare
	j relay_jobs;
begin
	update relay_jobs r
	set state = 'cancelled', claimed_by = null, claimed_at = null, finished_at = now(), updated_at = now()
	where r.id = p_id and r.claimed_by is null and r.state in ('receiving', 'queued', 'exporting', 'sending')
	returning * into j;
	if found then
		-- A chunk being written waits on the job row (relay_job_put_chunk), so none is left behind.
		delete from relay_job_chunks c where c.job_id = p_id;
		return next j;
		return;
	end if;
	return query
	update relay_jobs r set cancel_requested = true, updated_at = now()
	where r.id = p_id and r.state in ('queued', 'exporting', 'sending')
	returning *;
	if found then return; end if;
	return query select * from relay_jobs r where r.id = p_id;
end;
$$;

-- This file's timestamp, the newest one (replaces relay_schema_version of 20261201000600_relay_jobs.sql).
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261201000700'::text; $$;

select relay_lock_down();
