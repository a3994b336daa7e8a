-- Conversion Relay: receipts (deduplicated deliveries), the event outbox, the shape of an event
-- as the API shows it, and the conversion rules for Supabase database webhooks.
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

-- Conversion rules for Supabase database webhooks: a column of a table changing to a value
-- becomes a Conversions API event. Edit this table in Supabase to add your own.
create table if not exists relay_conversion_rules (
	id bigint generated always as identity primary key,
	table_name text not null,
	column_name text not null,
	from_value text,              -- null: from any other value
	to_value text not null,
	event_name text not null,
	value_column text,
	currency_column text,
	default_currency text,
	email_column text default 'email',
	phone_column text default 'phone',
	first_name_column text default 'first_name',
	last_name_column text default 'last_name',
	external_id_column text default 'id',
	id_column text not null default 'id',
	enabled boolean not null default true,
	created_at timestamptz not null default now(),
	unique (table_name, column_name, to_value, event_name)
);

alter table relay_conversion_rules enable row level security;

-- The documented example: a lead qualified is a Lead, a lead won is a Purchase with its value.
insert into relay_conversion_rules (table_name, column_name, to_value, event_name, value_column, currency_column, default_currency)
values
	('leads', 'status', 'qualified', 'Lead', null, null, null),
	('leads', 'status', 'won', 'Purchase', 'value', 'currency', 'USD')
on conflict do nothing;
