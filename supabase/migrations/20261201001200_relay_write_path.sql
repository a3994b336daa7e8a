-- The write path near the floor: ingest as statements over arrays (replaces relay_ingest and
-- relay_ingest_many of 20261201000100_relay_ingest.sql), and a claim that reads only index
-- entries of claimable rows.

-- Ingest of a whole group of deliveries (group commit) in one call: columns as arrays, one
-- element per delivery (p_sources, p_delivery_keys) or per event (the rest; p_delivery is the
-- 1-based position of the event's delivery). Each delivery is stored exactly as it would be
-- alone: its receipt first (a key stored already, or repeated earlier in the group, stores
-- nothing of it), then its events, one row per (pixel, event name, event id).
--
-- Rows: one per delivery (event_ord null) saying whether it was a repeat, then one per event of
-- the deliveries stored, by its position in the event arrays, with its id, its status and
-- whether it was stored already (or repeated within the group).
create or replace function relay_ingest_batch(
	p_sources text[],
	p_delivery_keys text[],
	p_delivery integer[],
	p_pixel_ids text[],
	p_event_names text[],
	p_event_ids text[],
	p_payloads text[],
	p_test_event_codes text[],
	p_shops text[]
)
returns table (delivery integer, duplicate_delivery boolean, event_ord integer, id uuid, status text, duplicate boolean)
language plpgsql
as $$
#variable_conflict use_column
declare
	stored boolean[];
	new_ids uuid[];
begin
	-- Per delivery: stored (true) or a repeat (false).
	with d as (
		select t.ord::integer as ord, t.src, t.dkey
		from unnest(p_sources, p_delivery_keys) with ordinality as t(src, dkey, ord)
	), firsts as (
		select distinct on (d.src, d.dkey) d.ord, d.src, d.dkey from d where d.dkey is not null order by d.src, d.dkey, d.ord
	), receipts as (
		insert into relay_receipts (source, delivery_key)
		select f.src, f.dkey from firsts f order by f.ord
		on conflict do nothing
		returning source, delivery_key
	)
	select coalesce(array_agg(d.dkey is null or r.source is not null order by d.ord), '{}')
	into stored
	from d
	left join firsts f on f.ord = d.ord
	left join receipts r on r.source = f.src and r.delivery_key = f.dkey;

	with input as (
		select t.*, row_number() over (partition by t.pixel_id, t.event_name, t.event_id order by t.ord) as rn
		from unnest(p_delivery, p_pixel_ids, p_event_names, p_event_ids, p_payloads, p_test_event_codes, p_shops)
			with ordinality as t(delivery, pixel_id, event_name, event_id, payload, test_event_code, shop, ord)
		where stored[t.delivery]
	), inserted as (
		insert into relay_events (pixel_id, event_name, event_id, source, payload, test_event_code, shop)
		select i.pixel_id, i.event_name, i.event_id, p_sources[i.delivery], i.payload::jsonb, i.test_event_code, i.shop
		from input i where i.rn = 1 order by i.ord
		on conflict (pixel_id, event_name, event_id) do nothing
		returning relay_events.id
	)
	select coalesce(array_agg(inserted.id), '{}') into new_ids from inserted;

	-- A new statement sees rows another transaction committed meanwhile (a concurrent duplicate).
	return query
	select s.ord::integer, not stored[s.ord], null::integer, null::uuid, null::text, null::boolean
	from generate_subscripts(p_sources, 1) as s(ord)
	union all
	select i.delivery, false, i.ord::integer, e.id, e.status, n.id is null or i.rn > 1
	from (
		select t.delivery, t.pixel_id, t.event_name, t.event_id, t.ord,
		       row_number() over (partition by t.pixel_id, t.event_name, t.event_id order by t.ord) as rn
		from unnest(p_delivery, p_pixel_ids, p_event_names, p_event_ids) with ordinality as t(delivery, pixel_id, event_name, event_id, ord)
		where stored[t.delivery]
	) i
	left join relay_events e on e.pixel_id = i.pixel_id and e.event_name = i.event_name and e.event_id = i.event_id
	left join unnest(new_ids) as n(id) on n.id = e.id;
end;
$$;

drop function if exists relay_ingest_many(jsonb);
drop function if exists relay_ingest(text, text, jsonb);

-- Claims whose lease lapsed, found by their own index: the claim's two kinds of row each come
-- from an index (the ready ones by relay_events_ready) instead of one scan of every row.
create index if not exists relay_events_leased on relay_events (locked_at) where status = 'sending';

-- Replaces relay_claim of 20261201000200_relay_dispatch.sql (same arguments and rows), with each
-- kind of claimable row read through its index: lapsed claims first (the oldest work), then the
-- ready rows in the order they became ready. The payload comes back as its JSON text, measured
-- and sent as it is: no parse and no new serialization in the dispatcher. A new name, as the
-- payload's type changes (the earlier file, run again, must still apply).
drop function if exists relay_claim(text, integer, integer, integer);
create or replace function relay_claim_texts(p_worker text, p_limit integer, p_stale_after_seconds integer, p_max_bytes integer default null)
returns table (id uuid, pixel_id text, test_event_code text, attempts integer, payload text, payload_bytes integer)
language sql
as $$
	with lapsed as (
		select e.id, 0 as kind, e.locked_at as at_time, e.ctid as at, e.payload::text as body from relay_events e
		where e.status = 'sending' and e.locked_at < now() - make_interval(secs => p_stale_after_seconds)
		order by e.locked_at
		limit p_limit
		for update skip locked
	), due as (
		select e.id, 1 as kind, e.next_attempt_at as at_time, e.ctid as at, e.payload::text as body from relay_events e
		where e.status in ('queued', 'retry') and e.next_attempt_at <= now()
		order by e.next_attempt_at
		limit p_limit
		for update skip locked
	), ready as (
		-- Rows locked here but not taken stay as they were, locked only until this statement commits.
		select r.id, r.kind, r.at_time, r.at, r.body, octet_length(r.body) as bytes from (select * from lapsed union all select * from due) r
		order by r.kind, r.at_time, r.at
		limit p_limit
	), sized as (
		select r.id, r.body, r.bytes, r.bytes > coalesce(p_max_bytes, 2147483647) as too_large, row_number() over w as ord,
		       sum(case when r.bytes > coalesce(p_max_bytes, 2147483647) then 0 else r.bytes end) over w as running
		from ready r
		window w as (order by r.kind, r.at_time, r.at rows unbounded preceding)
	), taken as (
		select s.id, s.body, s.bytes, s.too_large, s.ord from sized s where s.too_large or s.running <= coalesce(p_max_bytes, 2147483647)
	), claimed as (
		update relay_events e
		set status = 'sending', locked_by = p_worker, locked_at = now(), attempts = e.attempts + 1, updated_at = now()
		from taken
		where e.id = taken.id
		returning e.id, e.pixel_id, e.test_event_code, e.attempts, case when taken.too_large then null else taken.body end as payload, taken.bytes, taken.ord
	)
	select c.id, c.pixel_id, c.test_event_code, c.attempts, c.payload, c.bytes from claimed c order by c.ord;
$$;

-- This file's timestamp, the newest one (replaces the relay_schema_version of the migrations before it).
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261201001200'::text; $$;

select relay_lock_down();
