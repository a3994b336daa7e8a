-- Every read the API and the status page make, as a SQL function (plus the requeue of a dead
-- letter), so the three backends (PGlite, Postgres, and Supabase through PostgREST's RPC) run
-- exactly the same SQL.

create or replace function relay_get_event(p_id uuid)
returns setof relay_event_row
language sql stable
as $$
	select (relay_as_row(e)).* from relay_events e where e.id = p_id;
$$;

-- Newest first, keyset-paged on (created_at, id), and bounded in bytes as well as rows: a page
-- stops before the payloads it holds (their text form) would pass p_max_bytes, so a page of large
-- events stays a few megabytes instead of failing; a row larger than the bound comes alone. `more`
-- (the same on every row) says whether rows follow, for the next cursor. p_max_bytes null: no bound.
drop function if exists relay_list_events(integer, text, timestamptz, uuid);
create or replace function relay_list_events(p_limit integer, p_status text default null, p_cursor_at timestamptz default null, p_cursor_id uuid default null, p_max_bytes integer default null)
returns table (
	id uuid, pixel_id text, event_name text, event_id text, source text, status text, attempts integer,
	fbtrace_id text, events_received integer, last_error text, created_at timestamptz, updated_at timestamptz,
	payload jsonb, cursor_at text, more boolean
)
language plpgsql stable
as $$
declare
	e relay_events;
	page relay_event_row[] := '{}';
	bytes bigint := 0;
	row_bytes bigint;
	cut boolean := false;
begin
	-- Rows are read one by one, so the payloads after the cut are never read.
	for e in
		select * from relay_events r
		where (p_status is null or r.status = p_status)
		  and (p_cursor_at is null or (r.created_at, r.id) < (p_cursor_at, p_cursor_id))
		order by r.created_at desc, r.id desc
		limit p_limit + 1
	loop
		if cardinality(page) = p_limit then
			cut := true;
			exit;
		end if;
		row_bytes := octet_length(e.payload::text);
		if cardinality(page) > 0 and bytes + row_bytes > coalesce(p_max_bytes, 2147483647) then
			cut := true;
			exit;
		end if;
		bytes := bytes + row_bytes;
		page := page || relay_as_row(e);
	end loop;
	return query select p.*, cut from unnest(page) p;
end;
$$;

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

create or replace function relay_requeue_event(p_id uuid)
returns setof relay_event_row
language sql
as $$
	select (relay_as_row(r)).* from relay_requeue(p_id) r;
$$;

create or replace function relay_rules_for(p_table text)
returns setof relay_conversion_rules
language sql stable
as $$
	select * from relay_conversion_rules where enabled and table_name = p_table order by id;
$$;

create or replace function relay_counts_by_hour(p_hours integer)
returns table (hour text, status text, n integer)
language sql stable
as $$
	select to_char(date_trunc('hour', created_at), 'YYYY-MM-DD HH24:00'), status, count(*)::integer
	from relay_events where created_at > now() - make_interval(hours => p_hours)
	group by 1, 2 order by 1 desc, 2;
$$;

create or replace function relay_recent_failures(p_limit integer)
returns table (id uuid, event_name text, status text, attempts integer, last_error text, updated_at text)
language sql stable
as $$
	select id, event_name, status, attempts, last_error, updated_at::text from relay_events
	where status in ('dead', 'retry') and last_error is not null
	order by relay_events.updated_at desc limit p_limit;
$$;

-- Per event name over the last week: how many events carry each identifier (keys, never values).
create or replace function relay_identifier_coverage(p_keys text[])
returns table (event_name text, total integer, counts jsonb)
language sql stable
as $$
	with recent as (
		select e.event_name, e.payload->'user_data' as ud from relay_events e where e.created_at > now() - interval '7 days'
	), per_key as (
		select r.event_name, k.key, count(*) filter (where r.ud ? k.key)::integer as n
		from recent r cross join unnest(p_keys) as k(key) group by 1, 2
	)
	select t.event_name, t.total, coalesce((select jsonb_object_agg(p.key, p.n) from per_key p where p.event_name = t.event_name), '{}'::jsonb)
	from (select r.event_name, count(*)::integer as total from recent r group by 1) t
	order by t.event_name;
$$;

-- /health: the database answers.
create or replace function relay_ping()
returns integer
language sql stable
as $$ select 1; $$;
