-- Privacy requests from Shopify: erase a customer's or a shop's events.

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
