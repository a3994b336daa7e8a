-- Meta's CRM integration (Conversion Leads) from Supabase rules (service/src/usecases/supabaseWebhook.ts):
-- a rule names the column of its table that holds the Meta Lead Ads lead id and the CRM's name it
-- reports as custom_data.lead_event_source. An event whose row has a lead id is sent with
-- user_data.lead_id and custom_data.event_source 'crm'; a row without one is sent as before.
-- Redefines relay_schema_version() and ends with the lock-down.

-- Like the other *_column defaults: a table with a meta_lead_id column needs no edit of its rules.
-- A column name is a Postgres name: at most 63 bytes.
alter table relay_conversion_rules
	add column if not exists lead_id_column text default 'meta_lead_id'
		constraint relay_conversion_rules_lead_id_column_length check (octet_length(lead_id_column) between 1 and 63);

-- Sent with every CRM event of the rule: the name Meta shows, at most the core's
-- MAX_LEAD_EVENT_SOURCE_LENGTH (nodes/core/capi/crm.ts).
alter table relay_conversion_rules
	add column if not exists lead_event_source text not null default 'Supabase'
		constraint relay_conversion_rules_lead_event_source_length check (char_length(lead_event_source) between 1 and 100);

-- This file's timestamp, the newest one (replaces the relay_schema_version of the migrations before it).
create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261201001000'::text; $$;

select relay_lock_down();
