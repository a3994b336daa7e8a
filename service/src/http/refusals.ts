import { RefusedInput } from '../usecases/refusedInput';
import { HttpError } from './errors';

/** A use case's answer; its refusal of the input becomes the 400 that names the field. */
export async function refusalsAs400<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (error) {
		if (error instanceof RefusedInput) throw new HttpError(400, 'invalid_payload', error.message, error.field);
		throw error;
	}
}
