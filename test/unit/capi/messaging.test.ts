import { createHash } from 'node:crypto';
import { prepareEvent, type EventInput } from '../../../nodes/core/capi';
import { flatToEventInput } from '../../../nodes/core/capi/flatEvent';

const NOW = 1_780_000_000;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// Real-looking ids: a ctwa_clid as Meta writes it (base64url), Meta's numeric object ids.
const CTWA_CLID = 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOd';
const WABA = '102290129340398';
const PAGE = '1122334455667788';
const PSID = '6543219876543210';
const IG_ACCOUNT = '17841405822304914';
const IGSID = '1234567890123456789';

const lead = (overrides: Partial<EventInput> = {}): EventInput => ({
	event_name: 'Lead',
	event_time: NOW - 60,
	action_source: 'business_messaging',
	messaging_channel: 'whatsapp',
	event_id: 'chatwoot:7:conversation:311:Lead',
	user_data: { ctwa_clid: ` ${CTWA_CLID} `, whatsapp_business_account_id: WABA, em: 'Ana@Example.com' },
	...overrides,
});
const issuesOf = (input: EventInput) => {
	const prepared = prepareEvent(input, { now: NOW });
	return prepared.ok ? [] : prepared.issues.map((i) => `${i.field}: ${i.message}`);
};

describe('business messaging events (Click-to-WhatsApp, Messenger, Instagram ads)', () => {
	it('sends the channel and its ids as given: trimmed, never hashed or lowercased; e-mail and phone hashed beside them', () => {
		expect(prepareEvent(lead(), { now: NOW })).toEqual({
			ok: true,
			event: {
				event_name: 'Lead',
				event_time: NOW - 60,
				action_source: 'business_messaging',
				messaging_channel: 'whatsapp',
				event_id: 'chatwoot:7:conversation:311:Lead',
				user_data: { ctwa_clid: CTWA_CLID, whatsapp_business_account_id: WABA, em: [sha('ana@example.com')] },
			},
		});
		const messenger = prepareEvent(
			lead({ messaging_channel: 'messenger', user_data: { page_id: PAGE, page_scoped_user_id: Number(PSID) } }),
			{ now: NOW },
		);
		expect(messenger.event.user_data).toEqual({ page_id: PAGE, page_scoped_user_id: PSID });
		expect(messenger.ok).toBe(true);
		const instagram = prepareEvent(
			lead({ messaging_channel: 'instagram', user_data: { ig_account_id: IG_ACCOUNT, ig_sid: IGSID } }),
			{ now: NOW },
		);
		expect(instagram).toMatchObject({ ok: true, event: { user_data: { ig_account_id: IG_ACCOUNT, ig_sid: IGSID } } });
	});

	it('requires the channel and both ids Meta asks for on that channel, naming each missing one', () => {
		expect(issuesOf(lead({ messaging_channel: undefined }))).toEqual([
			'messaging_channel: messaging_channel must be whatsapp, messenger, instagram when action_source is business_messaging',
		]);
		expect(issuesOf(lead({ messaging_channel: 'telegram' }))).toEqual([
			'messaging_channel: messaging_channel must be whatsapp, messenger, instagram when action_source is business_messaging',
		]);
		expect(issuesOf(lead({ user_data: { ctwa_clid: CTWA_CLID, em: 'ana@example.com' } }))).toEqual([
			'user_data.whatsapp_business_account_id: user_data.whatsapp_business_account_id is required for messaging_channel whatsapp',
		]);
		expect(issuesOf(lead({ user_data: { whatsapp_business_account_id: WABA, ctwa_clid: '  ' } }))).toEqual([
			'user_data.ctwa_clid: user_data.ctwa_clid is required for messaging_channel whatsapp',
		]);
		// A WhatsApp click id does not make a Messenger event: that one needs the page and the person.
		expect(issuesOf(lead({ messaging_channel: 'messenger' }))).toEqual([
			'user_data.page_id: user_data.page_id is required for messaging_channel messenger',
			'user_data.page_scoped_user_id: user_data.page_scoped_user_id is required for messaging_channel messenger',
		]);
		expect(
			issuesOf(lead({ messaging_channel: 'instagram', user_data: { ig_account_id: 'my-shop', ig_sid: IGSID } })),
		).toEqual(["user_data.ig_account_id: user_data.ig_account_id must be Meta's id: digits only"]);
	});

	it('refuses messaging_channel on any other action source', () => {
		expect(
			issuesOf(lead({ action_source: 'chat', user_data: { em: 'ana@example.com' }, messaging_channel: 'whatsapp' })),
		).toEqual(['messaging_channel: messaging_channel is for action_source business_messaging, not chat']);
		expect(
			issuesOf(lead({ action_source: 'chat', messaging_channel: undefined, user_data: { em: 'a@b.co' } })),
		).toEqual([]);
	});

	it('reads messaging_channel from the flat shape the relay and Map Automatically take', () => {
		const input = flatToEventInput({
			event_name: 'Lead',
			action_source: 'business_messaging',
			messaging_channel: 'instagram',
			user_data: { ig_account_id: IG_ACCOUNT, ig_sid: IGSID },
		});
		expect(input.messaging_channel).toBe('instagram');
		expect(() => flatToEventInput({ event_name: 'Lead', messaging_channel: ['whatsapp'] })).toThrow(
			'messaging_channel: must be text, not a list',
		);
	});
});
