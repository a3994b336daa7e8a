import { extractClickIds, fbclidFromUrl, isFbCookie, type Order } from '../../../nodes/core/shopify';
import withFbclidJson from '../../fixtures/shopify/order-with-fbclid.json';
import noCustomerJson from '../../fixtures/shopify/order-without-customer.json';
import sampleJson from '../../fixtures/shopify/order-450789469.json';

const withFbclid = withFbclidJson as Order;
const CREATED = Date.parse('2026-01-01T00:00:00Z');

describe('click ids', () => {
	it('takes _fbp and _fbc from the cart attributes, and the landing fbclid', () => {
		expect(extractClickIds(withFbclid)).toEqual({
			fbp: 'fb.1.1795170400000.1098115397',
			fbclid: 'IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgs',
			fbc: 'fb.1.1795170550123.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgs',
		});
	});

	it('drops a malformed _fbp and ignores a garbage fbclid; a valid _fbc still counts', () => {
		expect(extractClickIds(noCustomerJson as Order)).toEqual({ fbc: 'fb.1.1795247900000.AbCdEfGhIjKl' });
	});

	it('finds nothing in Shopify’s sample order', () => {
		expect(extractClickIds(sampleJson as Order)).toEqual({});
	});

	it('builds fbc from an fbclid, keeping its case, stamped with the given time or created_at', () => {
		const order: Order = {
			created_at: '2026-01-01T00:00:00Z',
			landing_site: 'https://shop.example.com/p?fbclid=AbC_dEf-123',
		};
		expect(extractClickIds(order)).toEqual({ fbclid: 'AbC_dEf-123', fbc: `fb.1.${CREATED}.AbC_dEf-123` });
		expect(extractClickIds(order, 1795170600123)).toEqual({
			fbclid: 'AbC_dEf-123',
			fbc: 'fb.1.1795170600123.AbC_dEf-123',
		});
		// No time at all: the fbclid is known, but an fbc without its click time is not made up.
		expect(extractClickIds({ landing_site: '/?fbclid=AbC' })).toEqual({ fbclid: 'AbC' });
	});

	it.each<[string, Order]>([
		[
			'a note attribute',
			{ created_at: '2026-01-01T00:00:00Z', note_attributes: [{ name: 'fbclid', value: ' AbCdEf123456 ' }] },
		],
		[
			'landing_site_ref as a bare query',
			{ created_at: '2026-01-01T00:00:00Z', landing_site_ref: 'utm_source=fb&fbclid=AbCdEf123456' },
		],
		[
			'the referring site',
			{ created_at: '2026-01-01T00:00:00Z', referring_site: 'https://www.facebook.com/?fbclid=AbCdEf123456' },
		],
		[
			'a facebook redirect wrapping the landing URL',
			{
				created_at: '2026-01-01T00:00:00Z',
				referring_site:
					'https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.com%2F%3Ffbclid%3DAbCdEf123456&h=AT0',
			},
		],
		[
			'an HTML-escaped landing_site',
			{ created_at: '2026-01-01T00:00:00Z', landing_site: '/p?utm_source=fb&amp;fbclid=AbCdEf123456' },
		],
	])('finds the fbclid in %s', (_where, order) => {
		expect(extractClickIds(order)).toEqual({ fbclid: 'AbCdEf123456', fbc: `fb.1.${CREATED}.AbCdEf123456` });
	});

	it('prefers the landing page’s fbclid to the other sources', () => {
		const order: Order = {
			created_at: '2026-01-01T00:00:00Z',
			landing_site: '/?fbclid=FromLanding',
			note_attributes: [{ name: 'fbclid', value: 'FromNote' }],
			referring_site: 'https://x.example/?fbclid=FromReferrer',
		};
		expect(extractClickIds(order).fbclid).toBe('FromLanding');
	});

	it('accepts fbp/fbc names in any case but validates their shape; values are never lowercased', () => {
		const order: Order = {
			note_attributes: [
				{ name: 'FBP', value: 'fb.2.1795170400000.42' },
				{ name: 'fbc', value: 'fb.1.1795170400000.AbC.AQ' },
			],
		};
		expect(extractClickIds(order)).toEqual({ fbp: 'fb.2.1795170400000.42', fbc: 'fb.1.1795170400000.AbC.AQ' });
		expect(
			extractClickIds({
				note_attributes: [
					{ name: '_fbc', value: 'fb.1.abc.AbC' },
					{ name: '_fbp', value: 'fb.1.123.' },
				],
			}),
		).toEqual({});
	});

	it('tolerates garbage without throwing', () => {
		const garbage = [
			{ landing_site: '%%%?fbclid=%E0%A4%A' },
			{ landing_site: '?fbclid=' },
			{ landing_site: '/p?fbclid=has space' },
			{ landing_site: 42 as unknown as string },
			{ note_attributes: 'oops' as unknown as [] },
			{ note_attributes: [null, { name: null, value: 5 as unknown as string }] as unknown as [] },
			{ referring_site: 'https://l.facebook.com/l.php?u=%ZZ' },
		];
		for (const order of garbage) expect(extractClickIds(order as Order)).toEqual({});
	});

	it('recognises the fb cookie shape loosely', () => {
		expect(['fb.1.1554763741205.AbCdEfGh', 'fb.0.1.2', 'fb.1.1554763741205.IwAR.AQAB'].map(isFbCookie)).toEqual([
			true,
			true,
			true,
		]);
		expect(['fb.1..x', 'fb.x.1.y', 'fb.1.1.a b', 'FB.1.1.x', ''].map(isFbCookie)).toEqual([
			false,
			false,
			false,
			false,
			false,
		]);
		expect(fbclidFromUrl('https://shop.example.com/?a=1#fbclid=NotInTheQuery')).toBeUndefined();
	});
});
