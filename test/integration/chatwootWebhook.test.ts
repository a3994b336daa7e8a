import { createHash } from 'node:crypto';
import { signChatwootWebhook } from '../../nodes/core/signatures/chatwoot';
import { startRelay, type TestRelay } from '../support/relayServer';
import { json } from '../support/http';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET = 'chatwoot-secret-1';

const conversation = (extra: object = {}) => ({
	event: 'conversation_created',
	id: 311,
	inbox_id: 4,
	status: 'open',
	labels: [],
	account: { id: 7, name: 'Linen' },
	meta: {
		sender: {
			id: 90,
			name: 'Ana Maria Souza',
			email: 'ana@example.com',
			phone_number: '+55 11 91234-5678',
			identifier: null,
		},
	},
	...extra,
});

describe('POST /v1/webhooks/chatwoot', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startRelay('pglite', {
			META_PIXEL_ID: '123456',
			CHATWOOT_WEBHOOK_SECRET: SECRET,
			CHATWOOT_RULES: 'conversation_created=>Lead, label:vip=>Contact, status:resolved=>Schedule',
		});
	});
	afterAll(() => relay.close());

	function signed(payload: object, options: { delivery?: string; ts?: number; secret?: string } = {}) {
		const body = JSON.stringify(payload);
		const ts = options.ts ?? Math.floor(Date.now() / 1000);
		return fetch(`${relay.url}/v1/webhooks/chatwoot`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-chatwoot-signature': signChatwootWebhook(body, options.secret ?? SECRET, ts),
				'x-chatwoot-timestamp': String(ts),
				'x-chatwoot-delivery': options.delivery ?? `d-${Math.random()}`,
			},
			body,
		});
	}
	const stored = async (id: string) =>
		json(await fetch(`${relay.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${relay.apiSecret}` } }));

	it('when a conversation is created, then a chat Lead is stored with the sender hashed', async () => {
		const body = await json(await signed(conversation(), { delivery: 'cw-1' }));
		expect(body).toMatchObject({ matched: 1, errors: [], data: [{ duplicate: false }] });
		const event = await stored(body.data[0].id);
		expect(event).toMatchObject({
			event_name: 'Lead',
			event_id: 'chatwoot:7:conversation:311:Lead',
			source: 'chatwoot',
		});
		expect(event.payload.action_source).toBe('chat');
		expect(event.payload.user_data).toMatchObject({
			em: [sha('ana@example.com')],
			ph: [sha('5511912345678')],
			fn: [sha('ana')],
			ln: [sha('mariasouza')],
			external_id: [sha('chatwoot:90')],
		});
	});

	it('deduplicates by X-Chatwoot-Delivery', async () => {
		expect(await json(await signed(conversation(), { delivery: 'cw-1' }))).toEqual({
			matched: 1,
			duplicate_delivery: true,
			data: [],
			errors: [],
		});
	});

	it('fires on a label added and on a status change, not on other updates', async () => {
		const labelled = await json(
			await signed(
				conversation({
					event: 'conversation_updated',
					labels: ['vip'],
					changed_attributes: [{ label_list: { previous_value: [], current_value: ['vip'] } }],
				}),
			),
		);
		expect((await stored(labelled.data[0].id)).event_name).toBe('Contact');
		const resolved = await json(
			await signed(conversation({ event: 'conversation_status_changed', status: 'resolved' })),
		);
		expect((await stored(resolved.data[0].id)).event_name).toBe('Schedule');
		expect((await json(await signed(conversation({ event: 'message_created' })))).matched).toBe(0);
	});

	it('refuses stale, forged and unsigned deliveries; accepts the shared-secret fallback', async () => {
		expect((await signed(conversation(), { ts: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
		expect((await signed(conversation(), { secret: 'wrong-secret' })).status).toBe(401);
		const unsigned = (headers: Record<string, string>, query = '') =>
			fetch(`${relay.url}/v1/webhooks/chatwoot${query}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(conversation({ id: 312 })),
			});
		expect((await unsigned({})).status).toBe(401);
		expect((await unsigned({ 'x-chatwoot-token': SECRET })).status).toBe(200);
		expect((await unsigned({}, `?token=${SECRET}`)).status).toBe(200);
	});

	it('rejects a bad rule at start-up, naming the variable', async () => {
		await expect(startRelay('pglite', { CHATWOOT_RULES: 'whenever=>Lead' })).rejects.toThrow(
			'CHATWOOT_RULES: "whenever=>Lead" is not trigger=>EventName',
		);
	});
});
