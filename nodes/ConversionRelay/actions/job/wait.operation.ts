import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { redactText } from '../../../core/errors/redact';
import { itemOutput, withItemIndex, type ItemOutcome } from '../../../shared/itemOutcomes';
import { jobId, jobIdField } from './jobId';
import { FINAL_STATES, readJob } from './jobs';

export const description: INodeProperties[] = [
	jobIdField,
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'How long to wait between two looks at the job',
	},
	{
		displayName: 'Maximum Wait (Minutes)',
		name: 'maxWaitMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'After this long the item fails, naming the job and its last state; the job itself goes on',
		hint: "n8n's execution timeout (EXECUTIONS_TIMEOUT, and the workflow's Timeout Workflow setting) must allow this long",
	},
];

// A poll that fails this many times in a row (service restarting, network) ends the wait.
const MAX_FAILED_POLLS = 3;

function positive(this: IExecuteFunctions, name: string, label: string, itemIndex: number): number {
	const value = Number(this.getNodeParameter(name, itemIndex));
	if (!Number.isFinite(value) || value <= 0)
		throw new NodeOperationError(this.getNode(), `${label} must be a number above 0`, { itemIndex });
	return value;
}

/** A 4xx from the service (unknown job, refused secret) will not change by asking again; 408 and 429 may. */
function isFinal(error: unknown): boolean {
	const status = Number((error as { httpCode?: unknown }).httpCode);
	return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** A finished job as the item's outcome: done is its output, failed and cancelled its error. */
function settled(this: IExecuteFunctions, job: IDataObject, id: string, itemIndex: number): ItemOutcome {
	if (job.state === 'done') return { ok: true, json: job };
	const reason = typeof job.error === 'string' && job.error ? redactText(job.error) : undefined;
	const message =
		job.state === 'failed'
			? `Sync job ${id} failed: ${reason ?? 'the relay service gave no reason'}`
			: `Sync job ${id} was cancelled${reason ? `: ${reason}` : ''}`;
	return {
		ok: false,
		error: new NodeOperationError(this.getNode(), message, {
			itemIndex,
			description: `Read: ${String((job.counters as IDataObject | undefined)?.read ?? 0)} records. Attempts: ${String(job.attempts ?? 0)}.`,
		}),
	};
}

/** Polls the job until it is done, failed or cancelled, or the maximum wait has passed. */
async function waitFor(this: IExecuteFunctions, itemIndex: number, signal?: AbortSignal): Promise<ItemOutcome> {
	const id = jobId.call(this, itemIndex);
	const intervalMs = positive.call(this, 'pollInterval', 'Poll interval', itemIndex) * 1000;
	const maxWaitMinutes = positive.call(this, 'maxWaitMinutes', 'Maximum wait', itemIndex);
	const deadline = Date.now() + maxWaitMinutes * 60_000;
	let failedPolls = 0;
	let job: IDataObject | undefined;
	for (;;) {
		try {
			job = await readJob.call(this, id, itemIndex);
			failedPolls = 0;
		} catch (error) {
			if (signal?.aborted || isFinal(error) || ++failedPolls >= MAX_FAILED_POLLS)
				return { ok: false, error: error as Error };
		}
		if (job && FINAL_STATES.includes(String(job.state))) return settled.call(this, job, id, itemIndex);
		const left = deadline - Date.now();
		if (left <= 0) {
			const records = (job?.progress as IDataObject | undefined)?.records;
			const error = new NodeOperationError(
				this.getNode(),
				`Sync job ${id} did not finish within ${maxWaitMinutes} minutes: its last state was ${String(job?.state ?? 'unknown')}${records === undefined ? '' : ` (${String(records)} records done)`}`,
				{
					itemIndex,
					description:
						'The job goes on in the relay service. Wait for it again (Sync Job → Wait with its ID), or stop it with Sync Job → Cancel.',
				},
			);
			return { ok: false, error };
		}
		await sleep(Math.min(intervalMs, left), signal);
	}
}

/**
 * One item after the other; a failed, cancelled or overdue job fails its item (with continue on
 * fail, the item carries the error). Stopping the execution ends the wait at once, for every item.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal?.();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		let outcome: ItemOutcome;
		try {
			outcome = await waitFor.call(this, i, signal);
		} catch (error) {
			outcome = { ok: false, error: error as Error };
		}
		if (signal?.aborted)
			throw new NodeOperationError(
				this.getNode(),
				'The execution was stopped while waiting for the sync job; the job goes on in the relay service',
				{ itemIndex: i },
			);
		for (const item of itemOutput.call(this, i, outcome, withItemIndex)) out.push(item);
	}
	return out;
}
