-- A resumed file job (service/src/usecases/jobs/receiveFile.ts fileRecords) goes on from its
-- checkpoint: this finds the chunk holding that record by the records the chunks hold, so the
-- chunks before it are skipped without their bytes leaving the database. Redefines
-- relay_schema_version() and ends with the lock-down.

-- The chunk of job p_id that holds record p_record (0-based) and how many records the chunks
-- before it hold; no row when the chunks hold p_record records or fewer (nothing left to read).
create or replace function relay_job_chunk_at(p_id uuid, p_record bigint)
returns table (seq integer, before bigint)
language sql stable
as $$
	select w.seq, w.before
	from (
		select c.seq, c.records, (sum(c.records) over (order by c.seq) - c.records)::bigint as before
		from relay_job_chunks c
		where c.job_id = p_id
	) w
	where w.before + w.records > p_record
	order by w.seq
	limit 1;
$$;

-- This file's timestamp, the newest one (replaces relay_schema_version of 20261201000700_relay_job_retry.sql).
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261201000800'::text; $$;

select relay_lock_down();
