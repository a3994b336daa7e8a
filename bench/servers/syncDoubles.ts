import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startAudiencesDouble } from '../../test/support/audiencesDouble';
import { startHubSpotDouble } from '../../test/support/hubspotDouble';
import { customerTruth } from '../../test/support/shopifyCustomers';
import { startShopifyDouble } from '../../test/support/shopifyDouble';
import { SYNC_TOKENS } from '../lib/syncDoubles';

// The sync scenario's outside world in a process of its own, so generating a million JSONL lines
// and keeping a million members and contacts costs the service's CPU nothing: the Shopify double
// with a bulk file, the audiences double (100 ms an answer) and the HubSpot double (its rolling
// limit, 50 ms an answer). Prints its URLs when ready; answers {id, cmd} messages over IPC.

interface Session {
	session_id: number;
	batch_seq: number;
	last_batch_flag: boolean;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function main(): Promise<void> {
	const customers = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 1_000_000);
	const nowMs = Number(process.env.BENCH_SYNC_NOW_MS ?? Date.now());
	const perTenSeconds = Number(process.env.BENCH_SYNC_HUBSPOT_PER_10S ?? 190);
	const shopify = await startShopifyDouble({
		clientSecret: 'shopify-bench-secret',
		accessToken: SYNC_TOKENS.shopify,
		bulk: { customers, nowMs, runningPolls: 1 },
	});
	const meta = await startAudiencesDouble({
		token: SYNC_TOKENS.meta,
		account: '1',
		latencyMs: Number(process.env.BENCH_SYNC_META_MS ?? 100),
	});
	const hubspot = await startHubSpotDouble({
		token: SYNC_TOKENS.hubspot,
		rateLimit: { perTenSeconds },
		latencyMs: Number(process.env.BENCH_SYNC_HUBSPOT_MS ?? 50),
	});
	const audience = meta.seed('Everyone (bench sync)');

	// The doubles record every request whole; a million rows of them would be gigabytes. What the
	// scenario needs is taken from them as they arrive and the records dropped.
	const sessions: Session[] = [];
	const paths: Record<string, number> = {};
	const sweep = () => {
		for (const r of meta.received) {
			const edge = r.path.split('/').pop() ?? '';
			paths[`meta ${edge}`] = (paths[`meta ${edge}`] ?? 0) + 1;
			if (edge === 'usersreplace') sessions.push((r.body as { session: Session }).session);
		}
		for (const r of hubspot.received) paths[`hubspot ${r.path}`] = (paths[`hubspot ${r.path}`] ?? 0) + 1;
		meta.received.length = 0;
		hubspot.received.length = 0;
		shopify.received.length = 0;
	};
	setInterval(sweep, 200).unref();

	const verify = () => {
		sweep();
		const emails = new Set<string>();
		const phones = new Set<string>();
		for (let i = 0; i < customers; i++) {
			const t = customerTruth(i, { nowMs });
			if (t.email) emails.add(t.email);
			if (t.phone) phones.add(sha(t.phone));
		}
		const emailHashes = new Set([...emails].map(sha));
		const members = [...(meta.audiences.get(audience)?.members.values() ?? [])];
		const memberEmails = new Set(members.flatMap((m) => (m.EMAIL ? [m.EMAIL] : [])));
		const memberPhones = new Set(members.flatMap((m) => (m.PHONE ? [m.PHONE] : [])));
		const contactEmails = new Set([...hubspot.contacts.values()].map((c) => c.properties.email ?? ''));
		const diff = (want: Set<string>, got: Set<string>) => ({
			missing: [...want].filter((x) => !got.has(x)).length,
			extra: [...got].filter((x) => !want.has(x)).length,
		});
		return {
			members: members.length,
			emailHashes: { expected: emailHashes.size, got: memberEmails.size, ...diff(emailHashes, memberEmails) },
			phoneHashes: { expected: phones.size, got: memberPhones.size, ...diff(phones, memberPhones) },
			contacts: { expected: emails.size, records: hubspot.contacts.size, ...diff(emails, contactEmails) },
		};
	};

	const stats = () => {
		sweep();
		const stat = readFileSync('/proc/self/status', 'utf8');
		const cpu = process.cpuUsage();
		return {
			sessions: {
				count: sessions.length,
				ids: [...new Set(sessions.map((s) => s.session_id))].length,
				last: sessions.filter((s) => s.last_batch_flag).length,
				lastIsLast: sessions.length > 0 && sessions[sessions.length - 1].last_batch_flag,
			},
			paths,
			limits: hubspot.limits,
			bulkOperations: shopify.bulkOperations.length,
			fileRequests: shopify.fileRequests.length,
			fileBytes: shopify.fileBytes(),
			cpuSeconds: (cpu.user + cpu.system) / 1e6,
			hwmMb: Number(/VmHWM:\s+(\d+)/.exec(stat)?.[1] ?? 0) / 1024,
		};
	};

	process.on('message', (m: { id: number; cmd: 'stats' | 'verify' }) => {
		try {
			const result = m.cmd === 'verify' ? verify() : stats();
			process.send?.({ id: m.id, result });
		} catch (error) {
			process.send?.({ id: m.id, error: (error as Error).message });
		}
	});
	process.on('disconnect', () => process.exit(0));
	process.stdout.write(
		`${JSON.stringify({ port: 0, shopify: shopify.url, meta: meta.url, hubspot: hubspot.url, audience })}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`sync doubles: ${(error as Error).message}\n`);
	process.exit(1);
});
