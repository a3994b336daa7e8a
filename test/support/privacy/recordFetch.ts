import { record, scanning, watched } from './record';

// Every fetch a test (or a node under test) makes to a relay service: its body as sent, and the
// answer as received. Cloned, so the caller reads the response as usual.
if (scanning()) {
	const original = globalThis.fetch;
	globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		const response = await original(input, init);
		if (watched(url)) {
			if (typeof init?.body === 'string') record('sent', init.body);
			else if (init?.body instanceof Uint8Array) record('sent', Buffer.from(init.body).toString('utf8'));
			record('answer', await response.clone().text());
		}
		return response;
	};
}
