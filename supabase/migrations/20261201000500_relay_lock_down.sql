-- Closes the schema: relay_schema_version(), which the service checks a Supabase project
-- against, and the lock-down that takes Supabase's default grants back from every relay_ table
-- function and sequence. A later migration redefines relay_schema_version() with its own timestamp and
-- ends with select relay_lock_down(); as this file does.

-- This file's timestamp, the newest one (what the service expects): a Supabase project whose
-- schema is behind the service is told so at start instead of failing on the first request.
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261201000500'::text; $$;

-- Supabase grants new tables, sequences and functions to anon and authenticated by default: take
-- that back. Only the service role (which bypasses RLS) may call the functions or touch the tables.
create or replace function relay_lock_down()
returns void
language plpgsql
as $$
declare
	fn regprocedure;
	tbl regclass;
	seq regclass;
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
	for seq in
		select c.oid::regclass from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = current_schema() and c.relkind = 'S' and c.relname like 'relay\_%'
	loop
		execute format('revoke all on sequence %s from public', seq);
		if has_roles then execute format('revoke all on sequence %s from anon, authenticated', seq); end if;
		if has_service then execute format('grant all on sequence %s to service_role', seq); end if;
	end loop;
end;
$$;

select relay_lock_down();
