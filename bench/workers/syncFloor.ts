import { parseSchema } from '../../nodes/core/audiences/rows';
import type { RawAudienceRecord } from '../../nodes/core/audiences/types';
import { audienceRow } from '../../nodes/core/normalize/audience';
import { customerToAudienceRecord } from '../../nodes/core/shopify/customer';
import { customerFromGraphql, type GraphqlCustomer } from '../../nodes/core/shopify/graphql';
import { customerToHubSpotProperties } from '../../nodes/core/shopify/hubspot';
import { customerAt, customerTruth } from '../../test/support/shopifyCustomers';

// The sync scenario's CPU floors, in a process of its own, over the same generated customers as
// the Shopify double serves. The hash floor: audienceRow alone (normalize + hash), the part no
// service can skip; building the raw records is not timed. The work floor: what any service must
// do besides, with no I/O, storage or pacing: JSON.parse of each file line, both mappings, the
// hashes, and JSON.stringify of the audience batch and of the HubSpot batches.
const COUNT = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 1_000_000);
const NOW = Number(process.env.BENCH_SYNC_NOW_MS ?? Date.now());
const schema = parseSchema(['EMAIL', 'PHONE', 'FN', 'LN', 'CT', 'ST', 'ZIP', 'COUNTRY']);
const CHUNK = 10_000;

let cpuMicros = 0;
let workMicros = 0;
let rows = 0;
let hashes = 0;
let withEmail = 0;
let matchable = 0;
for (let from = 0; from < COUNT; from += CHUNK) {
	const records: RawAudienceRecord[] = [];
	const lines: string[] = [];
	for (let i = from; i < Math.min(COUNT, from + CHUNK); i++) {
		const graphql = customerAt(i, { nowMs: NOW });
		lines.push(JSON.stringify(graphql));
		records.push(customerToAudienceRecord(customerFromGraphql(graphql as unknown as GraphqlCustomer)));
		if (customerTruth(i, { nowMs: NOW }).email) withEmail++;
	}
	const work = process.cpuUsage();
	const data: string[][] = [];
	let contacts: Array<Record<string, string>> = [];
	for (const line of lines) {
		const customer = customerFromGraphql(JSON.parse(line) as GraphqlCustomer);
		const row = audienceRow(schema, customerToAudienceRecord(customer));
		if (row) data.push(row);
		const contact = customerToHubSpotProperties(customer);
		if (contact.email) contacts.push(contact);
		if (contacts.length === 100) {
			JSON.stringify({
				inputs: contacts.map((properties) => ({ idProperty: 'email', id: properties.email, properties })),
			});
			contacts = [];
		}
	}
	JSON.stringify({ payload: { schema, data } });
	const workUsed = process.cpuUsage(work);
	workMicros += workUsed.user + workUsed.system;
	const started = process.cpuUsage();
	for (const record of records) {
		const row = audienceRow(schema, record);
		rows++;
		if (!row) continue;
		matchable++;
		for (const cell of row) if (cell) hashes++;
	}
	const used = process.cpuUsage(started);
	cpuMicros += used.user + used.system;
}
process.stdout.write(
	`${JSON.stringify({ rows, matchable, hashes, withEmail, cpuSeconds: cpuMicros / 1e6, workCpuSeconds: workMicros / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
