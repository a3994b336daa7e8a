-- Ingest: a delivery's receipt and its events in one transaction, several deliveries in one
-- transaction (group commit), and the lookup of events already stored.

-- The receipt first (a repeated delivery stops here), then the events in two set-based
-- statements, linear in the batch size. Per input event, in order: its id, its status and
-- whether it was already stored (or repeated within the batch).
create or replace function relay_ingest(p_source text, p_delivery_key text, p_events jsonb)
returns jsonb
language plpgsql
as $$
declare
	new_ids uuid[];
	result jsonb;
begin
	if p_delivery_key is not null then
		insert into relay_receipts (source, delivery_key) values (p_source, p_delivery_key)
		on conflict do nothing;
		if not found then
			return jsonb_build_object('duplicate_delivery', true, 'events', '[]'::jsonb);
		end if;
	end if;

	with input as (
		select t.e, t.ord, row_number() over (partition by t.e->>'pixel_id', t.e->'payload'->>'event_name', t.e->'payload'->>'event_id' order by t.ord) as rn
		from jsonb_array_elements(p_events) with ordinality as t(e, ord)
	), inserted as (
		insert into relay_events (pixel_id, event_name, event_id, source, payload, test_event_code, shop)
		select e->>'pixel_id', e->'payload'->>'event_name', e->'payload'->>'event_id', p_source, e->'payload', e->>'test_event_code', e->>'shop'
		from input where rn = 1 order by ord
		on conflict (pixel_id, event_name, event_id) do nothing
		returning id
	)
	select coalesce(array_agg(id), '{}') into new_ids from inserted;

	-- A new statement sees rows another transaction committed meanwhile (a concurrent duplicate).
	select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'status', s.status, 'duplicate', n.id is null or i.rn > 1) order by i.ord), '[]'::jsonb)
	into result
	from (
		select t.e, t.ord, row_number() over (partition by t.e->>'pixel_id', t.e->'payload'->>'event_name', t.e->'payload'->>'event_id' order by t.ord) as rn
		from jsonb_array_elements(p_events) with ordinality as t(e, ord)
	) i
	left join relay_events s on s.pixel_id = i.e->>'pixel_id' and s.event_name = i.e->'payload'->>'event_name' and s.event_id = i.e->'payload'->>'event_id'
	left join unnest(new_ids) as n(id) on n.id = s.id;

	return jsonb_build_object('duplicate_delivery', false, 'events', result);
end;
$$;

-- Group commit: deliveries that arrive together are stored in one transaction, each exactly as
-- relay_ingest would store it alone (a repeated delivery key in the same group counts once).
create or replace function relay_ingest_many(p_deliveries jsonb)
returns jsonb
language sql
as $$
	select coalesce(jsonb_agg(r.result order by r.ord), '[]'::jsonb)
	from (
		select t.ord, relay_ingest(t.d->>'source', t.d->>'delivery_key', t.d->'events') as result
		from jsonb_array_elements(p_deliveries) with ordinality as t(d, ord)
		order by t.ord
	) r;
$$;

-- Which of the given (pixel, event name, event id) keys are already stored: a repeated delivery
-- of an event that has since aged past Meta's window is still recognised as a duplicate.
create or replace function relay_find_events(p_keys jsonb)
returns table (ord bigint, id uuid, status text)
language sql stable
as $$
	select k.ord, e.id, e.status
	from jsonb_array_elements(p_keys) with ordinality as k(key, ord)
	join relay_events e
	  on e.pixel_id = k.key->>'pixel_id' and e.event_name = k.key->>'event_name' and e.event_id = k.key->>'event_id'
	order by k.ord;
$$;
