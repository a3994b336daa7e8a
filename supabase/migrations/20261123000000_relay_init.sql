-- Conversion Relay: receipts (deduplicated deliveries) and the event outbox.
-- Only hashed identifiers are ever stored: payload is the event as sent to Meta.

create table if not exists relay_receipts (
	source text not null,
	delivery_key text not null,
	received_at timestamptz not null default now(),
	primary key (source, delivery_key)
);

create table if not exists relay_events (
	id uuid primary key default gen_random_uuid(),
	pixel_id text not null,
	event_name text not null,
	event_id text not null,
	source text not null,
	payload jsonb not null,
	test_event_code text,
	-- the Shopify shop an event came from, so shop/redact can erase a shop's rows
	shop text,
	status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'retry', 'dead')),
	attempts integer not null default 0,
	next_attempt_at timestamptz not null default now(),
	locked_by text,
	locked_at timestamptz,
	fbtrace_id text,
	events_received integer,
	last_error text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	-- Exactly-once effect per event: Meta deduplicates on (event_name, event_id) per pixel too.
	unique (pixel_id, event_name, event_id)
);

create index if not exists relay_events_ready on relay_events (next_attempt_at) where status in ('queued', 'retry');
create index if not exists relay_events_created on relay_events (created_at);
create index if not exists relay_events_shop on relay_events (shop) where shop is not null;

-- The service role bypasses RLS; anon and authenticated see nothing.
alter table relay_receipts enable row level security;
alter table relay_events enable row level security;

-- One transaction: the receipt first (a repeated delivery stops here), then the events; an event
-- already stored under the same key is reported, not stored twice.
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
