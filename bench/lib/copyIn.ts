import type { Client, Submittable } from 'pg';

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: string | null | undefined): string {
	if (value === null || value === undefined) return '\\N';
	return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

// pg's client calls these on its active query; the ones a COPY FROM STDIN never receives are no-ops.
type Connection = { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void; query(text: string): void };

/**
 * `COPY … FROM STDIN` through pg's own protocol (the copyData messages pg-copy-streams sends),
 * without a dependency: the whole text in one chunk, resolved with the rows copied.
 */
export function copyFrom(client: Client, sql: string, text: string): Promise<number> {
	return new Promise((resolve, reject) => {
		let rows = 0;
		let failed: Error | undefined;
		const query = {
			submit: (connection: Connection) => connection.query(sql),
			handleCopyInResponse: (connection: Connection) => {
				connection.sendCopyFromChunk(Buffer.from(text));
				connection.endCopyFrom();
			},
			handleCommandComplete: (msg: { text?: string }) => {
				rows = Number(/(\d+)$/.exec(msg.text ?? '')?.[1] ?? 0);
			},
			handleError: (error: Error) => {
				failed = error;
			},
			handleReadyForQuery: () => (failed ? reject(failed) : resolve(rows)),
			handleRowDescription: () => undefined,
			handleDataRow: () => undefined,
			handleEmptyQuery: () => undefined,
			handlePortalSuspended: () => undefined,
			handleCopyData: () => undefined,
		};
		void client.query(query as unknown as Submittable);
	});
}
