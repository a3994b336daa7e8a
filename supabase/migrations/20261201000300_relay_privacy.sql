-- Privacy requests from Shopify: show what is held for a customer, erase a customer's or a
-- shop's events. Customers are matched by hashed id, e-mail or phone, never by raw values.

-- customers/data_request: what is held for a customer (hashes only).
create or replace function relay_customer_events(p_shop text, p_hashes text[])
returns setof relay_event_row
language sql stable
as $$
	select (relay_as_row(e)).* from relay_events e
	where e.shop = p_shop
	  and (e.payload->'user_data'->'external_id' ?| p_hashes or e.payload->'user_data'->'em' ?| p_hashes or e.payload->'user_data'->'ph' ?| p_hashes);
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

-- shop/redact: every event of the shop.
create or replace function relay_redact_shop(p_shop text)
returns integer
language sql
as $$
	with gone as (delete from relay_events where shop = p_shop returning 1)
	select count(*)::integer from gone;
$$;
