import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';
import type { UploadBody } from '../../../shared/transport/relay';

export type FileFormat = 'ndjson' | 'csv';

export const CONTENT_TYPES: Readonly<Record<FileFormat, string>> = {
	ndjson: 'application/x-ndjson',
	csv: 'text/csv',
};

const BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
	ndjson: 'ndjson',
	jsonl: 'ndjson',
	jsonlines: 'ndjson',
	csv: 'csv',
};

const BY_MIME_TYPE: Readonly<Record<string, FileFormat>> = {
	'application/x-ndjson': 'ndjson',
	'application/ndjson': 'ndjson',
	'application/jsonl': 'ndjson',
	'application/x-jsonlines': 'ndjson',
	'application/jsonlines': 'ndjson',
	'text/csv': 'csv',
	'application/csv': 'csv',
	'text/comma-separated-values': 'csv',
};

function extensionOf(binary: IBinaryData): string {
	const named = binary.fileExtension ?? /\.([A-Za-z0-9]{1,12})$/.exec(binary.fileName ?? '')?.[1] ?? '';
	return named.toLowerCase().replace(/^\./, '');
}

/**
 * The format chosen, or the file's own: its extension first (what a person named it), then its
 * MIME type (what the source claimed). Only the extension and type are quoted when neither
 * tells: a file name may name a person.
 */
export function fileFormat(
	this: IExecuteFunctions,
	chosen: string,
	binary: IBinaryData,
	field: string,
	itemIndex: number,
): FileFormat {
	if (chosen === 'ndjson' || chosen === 'csv') return chosen;
	const extension = extensionOf(binary);
	const mimeType = String(binary.mimeType ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	const format =
		(Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension] : undefined) ??
		(Object.hasOwn(BY_MIME_TYPE, mimeType) ? BY_MIME_TYPE[mimeType] : undefined);
	if (format) return format;
	throw new NodeOperationError(
		this.getNode(),
		`Cannot tell whether the file in binary field "${field}" is NDJSON or CSV (extension ${extension ? `.${extension.slice(0, 12)}` : 'none'}, MIME type ${mimeType.slice(0, 80) || 'none'})`,
		{ itemIndex, description: 'Choose NDJSON or CSV under File Format.' },
	);
}

/**
 * The file's bytes as the request body: a stream when n8n keeps the file outside memory (binary
 * data mode filesystem or S3, which large files need), else the bytes n8n already holds.
 */
export async function fileBody(
	this: IExecuteFunctions,
	binary: IBinaryData,
	itemIndex: number,
): Promise<{ body: UploadBody; contentLength?: number }> {
	if (binary.id) {
		// The size first: a stream opened before a failing lookup would hold its file open.
		const metadata = await this.helpers.getBinaryMetadata(binary.id);
		const body = await this.helpers.getBinaryStream(binary.id);
		return { body, contentLength: Number.isSafeInteger(metadata.fileSize) ? metadata.fileSize : undefined };
	}
	const body = await this.helpers.getBinaryDataBuffer(itemIndex, binary);
	return { body, contentLength: body.length };
}
