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

create or replace function relay_schema_version()
returns text
language sql immutable
as $$ select '20261123000600'::text; $$;

select relay_lock_down();
