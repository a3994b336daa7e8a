-- Which Shopify shop an event came from, so shop/redact can erase a shop's rows.
alter table relay_events add column if not exists shop text;
create index if not exists relay_events_shop on relay_events (shop) where shop is not null;

create or replace function relay_ingest(p_source text, p_delivery_key text, p_events jsonb)
returns jsonb
language plpgsql
as $$
declare
	e jsonb;
	result jsonb := '[]'::jsonb;
	new_id uuid;
	existing record;
begin
	if p_delivery_key is not null then
		insert into relay_receipts (source, delivery_key) values (p_source, p_delivery_key)
		on conflict do nothing;
		if not found then
			return jsonb_build_object('duplicate_delivery', true, 'events', '[]'::jsonb);
		end if;
	end if;
	for e in select * from jsonb_array_elements(p_events) loop
		insert into relay_events (pixel_id, event_name, event_id, source, payload, test_event_code, shop)
		values (e->>'pixel_id', e->'payload'->>'event_name', e->'payload'->>'event_id', p_source, e->'payload', e->>'test_event_code', e->>'shop')
		on conflict (pixel_id, event_name, event_id) do nothing
		returning id into new_id;
		if new_id is not null then
			result := result || jsonb_build_object('id', new_id, 'status', 'queued', 'duplicate', false);
		else
			select id, status into existing from relay_events
			where pixel_id = e->>'pixel_id' and event_name = e->'payload'->>'event_name' and event_id = e->'payload'->>'event_id';
			result := result || jsonb_build_object('id', existing.id, 'status', existing.status, 'duplicate', true);
		end if;
		new_id := null;
	end loop;
	return jsonb_build_object('duplicate_delivery', false, 'events', result);
end;
$$;

-- customers/redact: every event of this shop that carries the customer's hashed id or e-mail.
create or replace function relay_redact_customer(p_shop text, p_hashes text[])
returns integer
language sql
as $$
	with gone as (
		delete from relay_events
		where shop = p_shop
		  and (payload->'user_data'->'external_id' ?| p_hashes or payload->'user_data'->'em' ?| p_hashes or payload->'user_data'->'ph' ?| p_hashes)
		returning 1
	)
	select count(*)::integer from gone;
$$;

create or replace function relay_redact_shop(p_shop text)
returns integer
language sql
as $$
	with gone as (delete from relay_events where shop = p_shop returning 1)
	select count(*)::integer from gone;
$$;
