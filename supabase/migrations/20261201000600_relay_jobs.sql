-- Sync jobs (service/src/usecases/jobs/types.ts): a whole source moved into its destinations by
-- the service, and the chunks of an uploaded file until its job is finished. Redefines
-- relay_schema_version() of 20261201000500_relay_lock_down.sql and ends with the lock-down.
--
-- receiving (a file still arriving) → queued → exporting → sending → done | failed | cancelled.
-- A claim is a lease, as in the outbox: claimed_at is when it was taken or last renewed, and a job
-- whose lease lapsed is free for any runner to take over (resuming from its checkpoint). Every
-- write after a claim is guarded by claimed_by: only the holder moves its job on.
--
-- Sizes are bounded here, whatever the caller checked: spec, checkpoint and counters at most
-- 65,536 bytes each as jsonb's text form, an error 1,000 characters, a worker id 200, a chunk
-- 16 MiB (16,777,216 bytes). Chunks are stored as bytea and cross every RPC as base64 text, the
-- one form that arrives byte-identical through node-postgres, PGlite and PostgREST's JSON.

create table if not exists relay_jobs (
	id uuid primary key default gen_random_uuid(),
	state text not null,
	spec jsonb not null,
	checkpoint jsonb not null default '{"records": 0}'::jsonb,
	counters jsonb not null default '{"read": 0}'::jsonb,
	error text,
	attempts integer not null default 0,
	cancel_requested boolean not null default false,
	claimed_by text,
	claimed_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	started_at timestamptz,
	finished_at timestamptz,
	constraint relay_jobs_state check (state in ('receiving', 'queued', 'exporting', 'sending', 'done', 'failed', 'cancelled')),
	constraint relay_jobs_spec_size check (jsonb_typeof(spec) = 'object' and octet_length(spec::text) <= 65536),
	constraint relay_jobs_checkpoint_size check (jsonb_typeof(checkpoint) = 'object' and octet_length(checkpoint::text) <= 65536),
	constraint relay_jobs_counters_size check (jsonb_typeof(counters) = 'object' and octet_length(counters::text) <= 65536),
	constraint relay_jobs_error_size check (char_length(error) <= 1000),
	constraint relay_jobs_claimed_by_size check (char_length(claimed_by) <= 200)
);

-- The list (newest first, all states); the list by state, the claim (queued oldest first, active
-- ones), the stale uploads and the counts all start from the state.
create index if not exists relay_jobs_created on relay_jobs (created_at, id);
create index if not exists relay_jobs_state_created on relay_jobs (state, created_at, id);

create table if not exists relay_job_chunks (
	job_id uuid not null references relay_jobs (id) on delete cascade,
	seq integer not null,
	records integer not null,
	data bytea not null,
	created_at timestamptz not null default now(),
	primary key (job_id, seq),
	constraint relay_job_chunks_seq check (seq >= 0 and seq < 100000),
	constraint relay_job_chunks_records check (records >= 0),
	constraint relay_job_chunks_data_size check (octet_length(data) <= 16777216)
);

-- The blobs are encrypted, so compressing them is wasted work: stored out of line as they are.
alter table relay_job_chunks alter column data set storage external;

alter table relay_jobs enable row level security;
alter table relay_job_chunks enable row level security;

-- A jsonb argument too large or not an object: refused naming the field (the table's constraints
-- would say the same less clearly).
create or replace function relay_job_bound(p_field text, p_value jsonb)
returns void
language plpgsql immutable
as $$
declare
	bytes integer;
begin
	if p_value is null then return; end if;
	if jsonb_typeof(p_value) <> 'object' then
		raise exception '%: must be a JSON object, not %', p_field, jsonb_typeof(p_value) using errcode = '22023';
	end if;
	bytes := octet_length(p_value::text);
	if bytes > 65536 then
		raise exception '%: % bytes as JSON text, at most 65536', p_field, bytes using errcode = '22001';
	end if;
end;
$$;

create or replace function relay_job_create(p_spec jsonb, p_state text)
returns setof relay_jobs
language plpgsql
as $$
begin
	if p_state is null or p_state not in ('queued', 'receiving') then
		raise exception 'state: a new job is queued or receiving, not %', coalesce(p_state, 'null') using errcode = '22023';
	end if;
	if p_spec is null then raise exception 'spec: missing' using errcode = '22023'; end if;
	perform relay_job_bound('spec', p_spec);
	return query insert into relay_jobs (state, spec) values (p_state, p_spec) returning *;
end;
$$;

create or replace function relay_job_get(p_id uuid)
returns setof relay_jobs
language sql stable
as $$
	select * from relay_jobs j where j.id = p_id;
$$;

-- Newest first, keyset-paged on (created_at, id) like relay_list_events: cursor_at is created_at
-- as text (microseconds kept, so a page never skips or repeats a row); `more` (the same on every
-- row) says whether rows follow. At most 100 rows a page.
create or replace function relay_job_list(p_limit integer, p_state text default null, p_cursor_at timestamptz default null, p_cursor_id uuid default null)
returns table (
	id uuid, state text, spec jsonb, checkpoint jsonb, counters jsonb, error text, attempts integer,
	cancel_requested boolean, created_at timestamptz, updated_at timestamptz, started_at timestamptz,
	finished_at timestamptz, cursor_at text, more boolean
)
language sql stable
as $$
	with page as (
		select j.* from relay_jobs j
		where (p_state is null or j.state = p_state)
		  and (p_cursor_at is null or (j.created_at, j.id) < (p_cursor_at, p_cursor_id))
		order by j.created_at desc, j.id desc
		limit least(greatest(p_limit, 1), 100) + 1
	), numbered as (
		select p.*, row_number() over (order by p.created_at desc, p.id desc) as n, count(*) over () as total from page p
	)
	select q.id, q.state, q.spec, q.checkpoint, q.counters, q.error, q.attempts, q.cancel_requested, q.created_at,
	       q.updated_at, q.started_at, q.finished_at, q.created_at::text, q.total > least(greatest(p_limit, 1), 100)
	from numbered q
	where q.n <= least(greatest(p_limit, 1), 100)
	order by q.n;
$$;

-- At most one job, never one another runner holds: a free job is queued, exporting or sending and
-- unclaimed or with a lapsed lease (its runner died, or stopped renewing). One whose cancel was
-- requested comes first (the runner finishes it as cancelled), then the oldest. A queued job keeps
-- its state when claimed: the runner's first progress says whether it exports or sends.
create or replace function relay_job_claim(p_worker text, p_lease_seconds integer)
returns setof relay_jobs
language plpgsql
as $$
begin
	if p_worker is null or char_length(p_worker) = 0 or char_length(p_worker) > 200 then
		raise exception 'worker: 1 to 200 characters' using errcode = '22023';
	end if;
	return query
	with free as (
		select j.id from relay_jobs j
		where j.state in ('queued', 'exporting', 'sending')
		  and (j.claimed_at is null or j.claimed_at < now() - make_interval(secs => p_lease_seconds))
		order by j.cancel_requested desc, j.created_at, j.id
		limit 1
		for update skip locked
	)
	update relay_jobs j
	set claimed_by = p_worker, claimed_at = now(), attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()),
	    updated_at = now()
	from free
	where j.id = free.id
	returning j.*;
end;
$$;

-- The holder's page of work: the patch applied and the lease renewed, only while the job is still
-- its own and the lease has not lapsed (a lapsed job may already be another runner's). Without a
-- patch, a renewal. The state only moves on (queued → exporting → sending).
create or replace function relay_job_progress(
	p_worker text, p_id uuid, p_lease_seconds integer,
	p_state text default null, p_checkpoint jsonb default null, p_counters jsonb default null
)
returns table (held boolean, cancel_requested boolean)
language plpgsql
as $$
#variable_conflict use_column
declare
	j relay_jobs;
begin
	if p_state is not null and p_state not in ('exporting', 'sending') then
		raise exception 'state: progress moves a job to exporting or sending, not %', p_state using errcode = '22023';
	end if;
	perform relay_job_bound('checkpoint', p_checkpoint);
	perform relay_job_bound('counters', p_counters);
	select * into j from relay_jobs r where r.id = p_id for update;
	if not found then
		return query select false, false;
		return;
	end if;
	if j.claimed_by is distinct from p_worker or j.state not in ('queued', 'exporting', 'sending')
	   or j.claimed_at < now() - make_interval(secs => p_lease_seconds) then
		return query select false, j.cancel_requested;
		return;
	end if;
	if p_state = 'exporting' and j.state = 'sending' then
		raise exception 'state: a sending job does not go back to exporting' using errcode = '22023';
	end if;
	update relay_jobs r
	set state = coalesce(p_state, r.state), checkpoint = coalesce(p_checkpoint, r.checkpoint),
	    counters = coalesce(p_counters, r.counters), claimed_at = now(), updated_at = now()
	where r.id = p_id;
	return query select true, j.cancel_requested;
end;
$$;

-- The holder ends its job: the claim cleared, the chunks deleted. Refused once another runner took
-- the job over (a lapsed lease no one took yet is still the holder's to finish, as in the outbox).
create or replace function relay_job_finish(p_worker text, p_id uuid, p_state text, p_error text default null, p_counters jsonb default null)
returns boolean
language plpgsql
as $$
begin
	if p_state is null or p_state not in ('done', 'failed', 'cancelled') then
		raise exception 'state: a job finishes done, failed or cancelled, not %', coalesce(p_state, 'null') using errcode = '22023';
	end if;
	perform relay_job_bound('counters', p_counters);
	update relay_jobs r
	set state = p_state, error = left(p_error, 1000), counters = coalesce(p_counters, r.counters),
	    claimed_by = null, claimed_at = null, finished_at = now(), updated_at = now()
	where r.id = p_id and r.claimed_by = p_worker and r.state in ('queued', 'exporting', 'sending');
	if not found then return false; end if;
	delete from relay_job_chunks c where c.job_id = p_id;
	return true;
end;
$$;

-- A person cancels: a job no runner holds (an upload, a queued job not claimed) is cancelled at
-- once; a held one is asked to stop (its runner, or whoever takes over its lapsed lease, finishes
-- it as cancelled). A finished job is returned as it is.
create or replace function relay_job_cancel(p_id uuid)
returns setof relay_jobs
language plpgsql
as $$
declare
	j relay_jobs;
begin
	update relay_jobs r
	set state = 'cancelled', claimed_by = null, claimed_at = null, finished_at = now(), updated_at = now()
	where r.id = p_id and (r.state = 'receiving' or (r.state = 'queued' and r.claimed_by is null))
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

-- One chunk of an upload (base64 in, bytea stored), only while the job is receiving; a chunk
-- written again replaces itself. Returns the job's state (null: no such job): stored only when
-- it says receiving. The job's updated_at says when its upload last moved.
create or replace function relay_job_put_chunk(p_id uuid, p_seq integer, p_records integer, p_data text)
returns text
language plpgsql
as $$
declare
	bytes bytea;
	current_state text;
begin
	if p_seq is null or p_seq < 0 or p_seq >= 100000 then
		raise exception 'seq: 0 to 99999, not %', coalesce(p_seq::text, 'null') using errcode = '22023';
	end if;
	if p_records is null or p_records < 0 then
		raise exception 'records: 0 or more, not %', coalesce(p_records::text, 'null') using errcode = '22023';
	end if;
	if p_data is null then raise exception 'data: missing' using errcode = '22023'; end if;
	-- base64 is 4/3 of the bytes: refuse what cannot fit before decoding it.
	if octet_length(p_data) > 22369624 + 1024 then
		raise exception 'data: more than 16777216 bytes' using errcode = '22001';
	end if;
	bytes := decode(p_data, 'base64');
	if octet_length(bytes) > 16777216 then
		raise exception 'data: % bytes, at most 16777216', octet_length(bytes) using errcode = '22001';
	end if;
	-- The job row stays locked until this commits: a cancel or a discard waits for the chunk.
	update relay_jobs r set updated_at = now() where r.id = p_id and r.state = 'receiving' returning r.state into current_state;
	if not found then
		select r.state into current_state from relay_jobs r where r.id = p_id;
		return current_state;
	end if;
	insert into relay_job_chunks (job_id, seq, records, data) values (p_id, p_seq, p_records, bytes)
	on conflict (job_id, seq) do update set records = excluded.records, data = excluded.data, created_at = now();
	return current_state;
end;
$$;

create or replace function relay_job_get_chunk(p_id uuid, p_seq integer)
returns table (records integer, data text)
language sql stable
as $$
	select c.records, encode(c.data, 'base64') from relay_job_chunks c where c.job_id = p_id and c.seq = p_seq;
$$;

-- The upload is whole: receiving → queued, with spec.file. Its chunks must be 0 to chunks - 1
-- and hold `records` records between them (a chunk lost on the way is refused here, not found
-- halfway through the run).
create or replace function relay_job_mark_received(p_id uuid, p_format text, p_records integer, p_chunks integer)
returns setof relay_jobs
language plpgsql
as $$
declare
	stored_chunks integer;
	stored_records bigint;
	highest integer;
begin
	if p_format is null or p_format not in ('ndjson', 'csv') then
		raise exception 'file.format: ndjson or csv, not %', coalesce(p_format, 'null') using errcode = '22023';
	end if;
	if p_records is null or p_records < 0 then
		raise exception 'file.records: 0 or more, not %', coalesce(p_records::text, 'null') using errcode = '22023';
	end if;
	if p_chunks is null or p_chunks < 0 or p_chunks > 100000 then
		raise exception 'file.chunks: 0 to 100000, not %', coalesce(p_chunks::text, 'null') using errcode = '22023';
	end if;
	perform 1 from relay_jobs r where r.id = p_id and r.state = 'receiving' for update;
	if not found then return; end if;
	select count(*)::integer, coalesce(sum(c.records), 0), max(c.seq) into stored_chunks, stored_records, highest
	from relay_job_chunks c where c.job_id = p_id;
	if stored_chunks <> p_chunks or coalesce(highest, -1) <> p_chunks - 1 then
		raise exception 'file.chunks: % declared, % stored (seq 0 to %)', p_chunks, stored_chunks, coalesce(highest::text, 'none')
			using errcode = '22023';
	end if;
	if stored_records <> p_records then
		raise exception 'file.records: % declared, % in the stored chunks', p_records, stored_records using errcode = '22023';
	end if;
	return query
	update relay_jobs r
	set state = 'queued',
	    spec = r.spec || jsonb_build_object('file', jsonb_build_object('format', p_format, 'records', p_records, 'chunks', p_chunks)),
	    updated_at = now()
	where r.id = p_id
	returning *;
end;
$$;

-- An upload refused halfway: the receiving job and its chunks gone, nothing left behind.
create or replace function relay_job_discard(p_id uuid)
returns integer
language sql
as $$
	with gone as (delete from relay_jobs j where j.id = p_id and j.state = 'receiving' returning 1)
	select count(*)::integer from gone;
$$;

-- Uploads cut off (the service restarted mid-upload, the client vanished): failed, chunks deleted.
create or replace function relay_job_fail_stale_receiving(p_older_than_seconds integer)
returns integer
language plpgsql
as $$
declare
	ids uuid[];
begin
	with failed as (
		update relay_jobs j
		set state = 'failed', error = 'upload interrupted', finished_at = now(), updated_at = now()
		where j.state = 'receiving' and j.updated_at < now() - make_interval(secs => p_older_than_seconds)
		returning j.id
	)
	select coalesce(array_agg(f.id), '{}') into ids from failed f;
	delete from relay_job_chunks c where c.job_id = any(ids);
	return cardinality(ids);
end;
$$;

-- Jobs per state, for the metrics.
create or replace function relay_job_counts()
returns table (state text, n integer)
language sql stable
as $$
	select j.state, count(*)::integer from relay_jobs j group by j.state order by j.state;
$$;

-- This file's timestamp, the newest one (replaces relay_schema_version of 20261201000500_relay_lock_down.sql).
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261201000600'::text; $$;

select relay_lock_down();
