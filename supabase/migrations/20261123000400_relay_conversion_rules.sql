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
