/** A response body for field-by-field assertions (tests only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
export const json = async (res: Response): Promise<any> => res.json();
