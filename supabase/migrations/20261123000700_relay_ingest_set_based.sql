-- relay_ingest as two set-based statements instead of a row-by-row loop that grew its jsonb
-- result one element at a time (quadratic in the batch size). Same answers: per input event, in
-- order, its id, its status and whether it was already stored (or repeated within the batch).
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

create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261123000700'::text; $$;

select relay_lock_down();
