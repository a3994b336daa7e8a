-- Meta's own match quality (the Dataset Quality API) beside the local estimate, per pixel: which
-- pixels the service delivers to (service/src/usecases/datasetQuality.ts reads each one's quality)
-- and which identifiers each pixel's events carry (the status page). Keys and counts only.
-- Redefines relay_schema_version() and ends with the lock-down.

-- The pixels of the last week's events, the busiest first.
create or replace function relay_recent_pixels(p_limit integer)
returns table (pixel_id text, events integer)
language sql stable
as $$
	select e.pixel_id, count(*)::integer
	from relay_events e
	where e.created_at > now() - interval '7 days'
	group by 1
	order by 2 desc, 1
	limit p_limit;
$$;

-- relay_identifier_coverage (20261201000400_relay_reads.sql) per pixel, for the pixels asked:
-- per pixel and event name over the last week, how many events carry each identifier.
create or replace function relay_pixel_identifier_coverage(p_pixels text[], p_keys text[])
returns table (pixel_id text, event_name text, total integer, counts jsonb)
language sql stable
as $$
	with recent as (
		select e.pixel_id, e.event_name, e.payload->'user_data' as ud
		from relay_events e
		where e.created_at > now() - interval '7 days' and e.pixel_id = any(p_pixels)
	), per_key as (
		select r.pixel_id, r.event_name, k.key, count(*) filter (where r.ud ? k.key)::integer as n
		from recent r cross join unnest(p_keys) as k(key) group by 1, 2, 3
	)
	select t.pixel_id, t.event_name, t.total,
		coalesce((select jsonb_object_agg(p.key, p.n) from per_key p where p.pixel_id = t.pixel_id and p.event_name = t.event_name), '{}'::jsonb)
	from (select r.pixel_id, r.event_name, count(*)::integer as total from recent r group by 1, 2) t
	order by t.pixel_id, t.event_name;
$$;

-- This file's timestamp, the newest one (replaces the relay_schema_version of the migrations before it).
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261201001100'::text; $$;

select relay_lock_down();
