/** Input a use case will not take (a key too long to store…): the route answers 400 naming the field. */
export class RefusedInput extends Error {
	constructor(
		readonly field: string,
		reason: string,
	) {
		super(`${field}: ${reason}`);
	}
}
