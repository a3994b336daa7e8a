-- Business messaging (service/src/usecases/chatwootWebhook.ts): a Chatwoot conversation that
-- started from an ad that clicks to WhatsApp, Messenger or Instagram keeps the id Meta attributes
-- it by, so that its later conversions (a label, a status) are sent as business_messaging events
-- as its first message was. Redefines relay_schema_version() (unless a later file did) and ends
-- with the lock-down.
--
-- One row per conversation (inbox id, conversation number) of an inbox configured for business
-- messaging whose customer's message carried Meta's ad referral: the Meta channel and one id,
-- attribution_id, which is the click's ctwa_clid on WhatsApp, the page-scoped user id on
-- Messenger, the Instagram-scoped id on Instagram. These are pseudonymous ids Meta issued (personal
-- data in the GDPR's sense, as any online identifier is), never contact data: no e-mail, phone
-- (a WhatsApp contact's source_id is their number: never stored), name, nor the ad's text or URLs.
-- The business's account ids stay in the service's configuration. A row lives 28 days after the
-- referral that wrote it (four times Meta's longest click attribution window, 7 days), then is
-- ignored and purged: a conversion after that is sent as an organic chat event.
--
-- Every stored value is bounded here, whatever the caller checked: inbox id 32 characters,
-- conversation number 200, a ctwa_clid 1,000 printable ASCII characters, a scoped id 1 to 32 digits.

create table if not exists relay_chat_attributions (
	inbox_id text not null,
	conversation_id text not null,
	messaging_channel text not null,
	attribution_id text not null,
	-- Chatwoot's id of the message that carried the referral: a later referral (a new ad click in
	-- the same conversation) replaces an earlier one, a redelivered older one does not.
	message_id bigint not null,
	referred_at timestamptz not null default now(),
	primary key (inbox_id, conversation_id),
	constraint relay_chat_attributions_inbox_id check (char_length(inbox_id) between 1 and 32),
	constraint relay_chat_attributions_conversation_id check (char_length(conversation_id) between 1 and 200),
	constraint relay_chat_attributions_id check (
		(messaging_channel = 'whatsapp' and char_length(attribution_id) <= 1000 and attribution_id ~ '^[!-~]+$')
		or (messaging_channel in ('messenger', 'instagram') and attribution_id ~ '^[0-9]{1,32}$')
	)
);

-- The purge of expired rows starts from the oldest.
create index if not exists relay_chat_attributions_referred on relay_chat_attributions (referred_at);

alter table relay_chat_attributions enable row level security;

-- Keeps a conversation's ad attribution: inserted, or replacing the stored one when this message is
-- newer or the stored one has expired. True when stored. Purges up to 100 expired rows on the way,
-- so the table holds only live conversations without a scheduled job.
create or replace function relay_chat_attribution_put(
	p_inbox_id text, p_conversation_id text, p_channel text, p_attribution_id text, p_message_id bigint
)
returns boolean
language plpgsql
as $$
declare
	stored integer;
begin
	delete from relay_chat_attributions a
	where a.ctid = any (array(
		select e.ctid from relay_chat_attributions e
		where e.referred_at < now() - interval '28 days'
		order by e.referred_at
		limit 100
	));
	insert into relay_chat_attributions as a
		(inbox_id, conversation_id, messaging_channel, attribution_id, message_id)
	values (p_inbox_id, p_conversation_id, p_channel, p_attribution_id, p_message_id)
	on conflict (inbox_id, conversation_id) do update
	set messaging_channel = excluded.messaging_channel, attribution_id = excluded.attribution_id,
	    message_id = excluded.message_id, referred_at = now()
	where excluded.message_id > a.message_id or a.referred_at < now() - interval '28 days';
	get diagnostics stored = row_count;
	return stored > 0;
end;
$$;

-- A conversation's ad attribution, unless it has expired: no row for an organic conversation.
create or replace function relay_chat_attribution(p_inbox_id text, p_conversation_id text)
returns table (messaging_channel text, attribution_id text, message_id bigint)
language sql stable
as $$
	select a.messaging_channel, a.attribution_id, a.message_id
	from relay_chat_attributions a
	where a.inbox_id = p_inbox_id and a.conversation_id = p_conversation_id
	  and a.referred_at >= now() - interval '28 days';
$$;

-- This file's timestamp (replaces the relay_schema_version of the migrations before it). Files
-- with later timestamps were written beside this one: a database that has them already keeps
-- their version instead of going back to this one.
do $$
begin
	if relay_schema_version() < '20261201000900' then
		create or replace function relay_schema_version()
		returns text
		language sql immutable
		as $version$ select '20261201000900'::text; $version$;
	end if;
end;
$$;

select relay_lock_down();
