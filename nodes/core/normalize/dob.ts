/**
 * Date of birth → YYYYMMDD. Accepts ISO dates and timestamps, US (M/D/Y) and day-first (D/M/Y when
 * the first number cannot be a month) shapes, compact 8-digit forms and English month names.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_WORD = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?/i;

export interface DateParts {
	year: number;
	month: number;
	day: number;
}

export function isValidBirthDate({ year, month, day }: DateParts, now = new Date()): boolean {
	if (!Number.isInteger(year) || year < 1900 || year > now.getUTCFullYear()) return false;
	if (!Number.isInteger(month) || month < 1 || month > 12) return false;
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return Number.isInteger(day) && day >= 1 && day <= daysInMonth;
}

function fromNumbers(a: number, b: number, c: number, aLen: number): DateParts {
	// Year first (ISO), else year last: month/day as in the US unless the first can't be a month.
	if (aLen === 4 || a > 31) return b > 12 ? { year: a, month: c, day: b } : { year: a, month: b, day: c };
	if (b > 31) return { year: b, month: c > 12 ? a : c, day: c > 12 ? c : a };
	return a > 12 ? { year: c, month: b, day: a } : { year: c, month: a, day: b };
}

function fromCompact(s: string): DateParts[] {
	const n = (from: number, to: number) => Number(s.slice(from, to));
	return [
		{ year: n(0, 4), month: n(4, 6), day: n(6, 8) },
		{ year: n(4, 8), month: n(0, 2), day: n(2, 4) },
		{ year: n(4, 8), month: n(2, 4), day: n(0, 2) },
	];
}

export function parseBirthDate(value: string, now = new Date()): DateParts | undefined {
	const text = value.trim();
	const word = MONTH_WORD.exec(text);
	const groups: string[] = text.replace(MONTH_WORD, ' ').match(/\d+/g) ?? [];
	const candidates: DateParts[] = [];
	if (word) {
		const month = MONTHS.indexOf(word[1].toLowerCase()) + 1;
		if (groups.length >= 2) {
			const [x, y] = groups;
			const yearFirst = x.length === 4;
			candidates.push({ year: Number(yearFirst ? x : y), month, day: Number(yearFirst ? y : x) });
		}
	} else if (groups.length >= 3) {
		candidates.push(fromNumbers(Number(groups[0]), Number(groups[1]), Number(groups[2]), groups[0].length));
	} else if (groups.length === 1 && groups[0].length === 8) {
		candidates.push(...fromCompact(groups[0]));
	}
	return candidates.find((d) => isValidBirthDate(d, now));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function formatBirthDate({ year, month, day }: DateParts): string {
	return `${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}`;
}

/** db: YYYYMMDD, year 1900..now, a real calendar day. */
export function dateOfBirth(value: string): string | undefined {
	const parts = parseBirthDate(value);
	return parts ? formatBirthDate(parts) : undefined;
}

/** Custom Audience DOBY: four-digit year, from a year or a whole date. */
export function birthYear(value: string): string | undefined {
	const v = value.trim();
	if (/^\d{4}$/.test(v)) {
		const year = Number(v);
		return year >= 1900 && year <= new Date().getUTCFullYear() ? v : undefined;
	}
	const parts = parseBirthDate(v);
	return parts ? pad(parts.year, 4) : undefined;
}

function numberPart(value: string, max: number, pick: (d: DateParts) => number): string | undefined {
	const v = value.trim();
	if (/^\d{1,2}$/.test(v)) {
		const n = Number(v);
		return n >= 1 && n <= max ? pad(n, 2) : undefined;
	}
	const word = MONTH_WORD.exec(v);
	if (max === 12 && word && word[0].length === v.length) return pad(MONTHS.indexOf(word[1].toLowerCase()) + 1, 2);
	const parts = parseBirthDate(v);
	return parts ? pad(pick(parts), 2) : undefined;
}

/** Custom Audience DOBM: 01..12, from a number, a month name or a whole date. */
export const birthMonth = (value: string) => numberPart(value, 12, (d) => d.month);
/** Custom Audience DOBD: 01..31, from a number or a whole date. */
export const birthDay = (value: string) => numberPart(value, 31, (d) => d.day);
