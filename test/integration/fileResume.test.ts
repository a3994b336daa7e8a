import { executorRpc } from '../../service/src/db/executor';
import { JobsRepository } from '../../service/src/db/jobsRepository';
import { migrate } from '../../service/src/db/migrate';
import { openPglite } from '../../service/src/db/pglite';
import { chunkKey, ChunkWriter } from '../../service/src/usecases/jobs/chunkCodec';
import type { FlatCustomer } from '../../service/src/usecases/jobs/fileRows';
import { fileRecords } from '../../service/src/usecases/jobs/receiveFile';
import type { Job } from '../../service/src/usecases/jobs/types';

// A resumed file job reads its stored chunks (encrypted, in the database) from the one holding its
// checkpoint: the chunks before it are skipped by their stored record counts, never fetched.

const KEY = chunkKey('file-resume-secret-0123456789abcdef');
// Rows of uneven length, chunks cut by bytes as well as rows: chunks of different record counts.
const ROWS: FlatCustomer[] = Array.from({ length: 60 }, (_, i) => ({
	email: `resume.${i}@example.com`,
	...(i % 3 === 0 ? { city: 'x'.repeat(40 + i) } : {}),
}));

let db: Awaited<ReturnType<typeof openPglite>>;
let jobs: JobsRepository;
let job: Job;
/** Records each stored chunk holds, in seq order. */
const sizes: number[] = [];

beforeAll(async () => {
	db = await openPglite(undefined);
	await migrate(db);
	jobs = new JobsRepository(executorRpc(db));
	const created = await jobs.create({ source: 'file', hubspot: { enabled: true } }, 'receiving');
	const writer = new ChunkWriter({
		key: KEY,
		jobId: created.id,
		maxRows: 8,
		maxBytes: 400,
		put: async (seq, records, data) => {
			sizes.push(records);
			await jobs.putChunk(created.id, seq, records, data);
		},
	});
	for (const row of ROWS) await writer.add(row);
	const totals = await writer.close();
	job = (await jobs.markReceived(created.id, { format: 'ndjson', ...totals })) as Job;
});
afterAll(async () => {
	await db?.close();
});

/** The chunk holding record `record` (0-based): the first whose records end past it; past the last, their count. */
function holding(record: number): number {
	let end = 0;
	for (let seq = 0; seq < sizes.length; seq++) {
		end += sizes[seq];
		if (end > record) return seq;
	}
	return sizes.length;
}

/** The records read from `checkpoint` on, and which chunks were fetched to read them. */
async function resume(checkpoint: number) {
	const fetched: number[] = [];
	// The real repository, with its chunk reads noted.
	const counted = {
		chunkAt: (id: string, record: number) => jobs.chunkAt(id, record),
		getChunk: (id: string, seq: number) => {
			fetched.push(seq);
			return jobs.getChunk(id, seq);
		},
	};
	const emails: string[] = [];
	const resumed = { ...job, checkpoint: { records: checkpoint } };
	for await (const record of fileRecords(counted, [KEY], resumed, new AbortController().signal))
		emails.push(record.contact!.email);
	return { emails, fetched };
}

it('stores the file in chunks of uneven record counts (the test means something)', () => {
	expect(sizes.length).toBeGreaterThan(5);
	expect(new Set(sizes).size).toBeGreaterThan(1);
	expect(sizes.reduce((a, b) => a + b, 0)).toBe(ROWS.length);
});

it('from every checkpoint: exactly the records after it, fetching only the chunk holding it and the ones after', async () => {
	for (let checkpoint = 0; checkpoint <= ROWS.length; checkpoint++) {
		const { emails, fetched } = await resume(checkpoint);
		expect(emails).toEqual(ROWS.slice(checkpoint).map((r) => r.email));
		const first = holding(checkpoint);
		expect(fetched).toEqual(Array.from({ length: sizes.length - first }, (_, i) => first + i));
	}
});

it('a checkpoint short of the records while the chunks are gone is an error, not a job done early', async () => {
	const other = await jobs.create({ source: 'file', hubspot: { enabled: true } }, 'receiving');
	const noChunks = { ...job, id: other.id, checkpoint: { records: 5 } };
	const read = async () => {
		for await (const record of fileRecords(jobs, [KEY], noChunks, new AbortController().signal)) void record;
	};
	await expect(read()).rejects.toThrow('chunks of the file are missing');
});
