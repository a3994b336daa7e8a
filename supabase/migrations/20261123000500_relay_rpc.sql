-- Every read the service makes, as a SQL function: the three backends (PGlite, Postgres, and
-- Supabase through PostgREST's RPC) then run exactly the same SQL.

-- An event as the API shows it: no lock columns, no shop; cursor_at keeps created_at's
-- microseconds as text so a page never skips or repeats a row.
do $$
begin
	if not exists (select 1 from pg_type where typname = 'relay_event_row') then
		create type relay_event_row as (
			id uuid, pixel_id text, event_name text, event_id text, source text, status text, attempts integer,
			fbtrace_id text, events_received integer, last_error text, created_at timestamptz, updated_at timestamptz,
			payload jsonb, cursor_at text
		);
	end if;
end $$;

create or replace function relay_as_row(e relay_events)
returns relay_event_row
language sql immutable
as $$
	select row(e.id, e.pixel_id, e.event_name, e.event_id, e.source, e.status, e.attempts, e.fbtrace_id,
		e.events_received, e.last_error, e.created_at, e.updated_at, e.payload, e.created_at::text)::relay_event_row;
$$;

create or replace function relay_get_event(p_id uuid)
returns setof relay_event_row
language sql stable
as $$
	select (relay_as_row(e)).* from relay_events e where e.id = p_id;
$$;

-- Newest first, keyset-paged on (created_at, id).
create or replace function relay_list_events(p_limit integer, p_status text default null, p_cursor_at timestamptz default null, p_cursor_id uuid default null)
returns setof relay_event_row
language sql stable
as $$
	select (relay_as_row(e)).* from relay_events e
	where (p_status is null or e.status = p_status)
	  and (p_cursor_at is null or (e.created_at, e.id) < (p_cursor_at, p_cursor_id))
	order by e.created_at desc, e.id desc
	limit p_limit;
$$;

create or replace function relay_requeue_event(p_id uuid)
returns setof relay_event_row
language sql
as $$
	select (relay_as_row(r)).* from relay_requeue(p_id) r;
$$;

-- customers/data_request: what is held for a customer (hashes only).
create or replace function relay_customer_events(p_shop text, p_hashes text[])
returns setof relay_event_row
language sql stable
as $$
	select (relay_as_row(e)).* from relay_events e
	where e.shop = p_shop
	  and (e.payload->'user_data'->'external_id' ?| p_hashes or e.payload->'user_data'->'em' ?| p_hashes or e.payload->'user_data'->'ph' ?| p_hashes);
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

create or replace function relay_ping()
returns integer
language sql stable
as $$ select 1; $$;

-- The newest migration redefines this with its own timestamp, so a Supabase project whose schema
-- is behind the service is told so at start instead of failing on the first request.
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261123000500'::text; $$;

-- Supabase grants new tables and functions to anon and authenticated by default: take that back.
-- Only the service role (which bypasses RLS) may call the functions or touch the tables.
create or replace function relay_lock_down()
returns void
language plpgsql
as $$
declare
	fn regprocedure;
	tbl regclass;
	has_roles boolean := exists (select 1 from pg_roles where rolname = 'anon');
	has_service boolean := exists (select 1 from pg_roles where rolname = 'service_role');
begin
	for fn in
		select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		where n.nspname = current_schema() and p.proname like 'relay\_%'
	loop
		execute format('revoke all on function %s from public', fn);
		if has_roles then execute format('revoke all on function %s from anon, authenticated', fn); end if;
		if has_service then execute format('grant execute on function %s to service_role', fn); end if;
	end loop;
	for tbl in
		select c.oid::regclass from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = current_schema() and c.relkind = 'r' and c.relname like 'relay\_%'
	loop
		execute format('alter table %s enable row level security', tbl);
		if has_roles then execute format('revoke all on table %s from anon, authenticated', tbl); end if;
		if has_service then execute format('grant all on table %s to service_role', tbl); end if;
	end loop;
end;
$$;

select relay_lock_down();
