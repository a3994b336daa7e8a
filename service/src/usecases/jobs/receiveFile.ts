import type { JobsRepository } from '../../db/jobsRepository';
import { ChunkWriter, decodeChunk } from './chunkCodec';
import { fileRowToRecord } from './fileRecords';
import { readCustomerFile } from './fileRows';
import { JobRequestError } from './jobRequest';
import { SourceLineError, type FileFormat, type Job, type JobSpec, type SyncRecord } from './types';

export interface FileReceiver {
	jobs: JobsRepository;
	/** The chunks' key (chunkKey of the API secret): raw customer data is stored only encrypted. */
	key: Buffer;
	maxBytes: number;
}

/** The body's bytes, refused past `max`: a file is read as it arrives, never held whole. */
async function* bounded(body: AsyncIterable<Buffer | string>, max: number): AsyncGenerator<Buffer | string> {
	let bytes = 0;
	for await (const chunk of body) {
		bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
		if (bytes > max)
			throw new JobRequestError('body', `the file is larger than JOB_FILE_MAX_BYTES (${max} bytes)`, 413);
		yield chunk;
	}
}

/**
 * A customer file, read line by line as it arrives and stored in encrypted chunks under a job
 * that stays `receiving` until the last line is checked; then it is queued. A refused line, an
 * oversized or empty file or a cut-off upload leaves nothing: the job and its chunks are deleted.
 */
export async function receiveFile(
	r: FileReceiver,
	spec: JobSpec,
	format: FileFormat,
	body: AsyncIterable<Buffer | string>,
): Promise<Job & { ignored_columns?: string[] }> {
	const job = await r.jobs.create(spec, 'receiving');
	try {
		const rows = readCustomerFile(bounded(body, r.maxBytes), format);
		const writer = new ChunkWriter({
			key: r.key,
			jobId: job.id,
			put: (seq, records, data) => r.jobs.putChunk(job.id, seq, records, data),
		});
		for await (const row of rows) await writer.add(row);
		const totals = await writer.close();
		if (totals.records === 0) throw new JobRequestError('body', 'the file holds no customer');
		const queued = await r.jobs.markReceived(job.id, { format, ...totals });
		if (!queued) throw new Error('the job was cancelled while its file arrived');
		const ignored = rows.unknownColumns();
		return ignored.length ? { ...queued, ignored_columns: ignored } : queued;
	} catch (error) {
		await r.jobs.discard(job.id).catch(() => undefined);
		if (error instanceof SourceLineError) throw new JobRequestError(`line ${error.line}`, error.reason);
		throw error;
	}
}

/**
 * A file job's records back from its chunks, from the checkpoint on. The chunks wholly before the
 * checkpoint are skipped by their stored record counts: a job resumed near the end of a large file
 * does not fetch (and the database does not send) every chunk before it again.
 */
export async function* fileRecords(
	jobs: Pick<JobsRepository, 'chunkAt' | 'getChunk'>,
	keys: Buffer[],
	job: Job,
	signal: AbortSignal,
): AsyncGenerator<SyncRecord> {
	const chunks = job.spec.file?.chunks ?? 0;
	const checkpoint = job.checkpoint.records;
	const from = checkpoint > 0 ? await jobs.chunkAt(job.id, checkpoint) : { seq: 0, before: 0 };
	if (!from) {
		// Nothing after the checkpoint: the file is done, unless chunks it needs are gone.
		if (checkpoint < (job.spec.file?.records ?? 0)) throw new Error('chunks of the file are missing');
		return;
	}
	let skip = checkpoint - from.before;
	for (let seq = from.seq; seq < chunks; seq++) {
		signal.throwIfAborted();
		const chunk = await jobs.getChunk(job.id, seq);
		if (!chunk) throw new Error(`chunk ${seq} of the file is missing`);
		const rows = decodeChunk(keys, job.id, chunk.data);
		for (let i = skip; i < rows.length; i++) yield fileRowToRecord(rows[i]);
		skip = 0;
	}
}
