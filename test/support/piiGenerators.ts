import type { HashedUserDataKey } from '../../nodes/core/capi/types';
import { Random } from './random';

const FIRST = [
	'John',
	'Mary',
	'José',
	'Zoë',
	'Łukasz',
	'Ngô',
	'Müller',
	"O'Brien",
	'Jean-Luc',
	'D’Angelo',
	'Anne Marie',
	'Søren',
	'Çağla',
	'Ærin',
	'Björk',
	'Ólafur',
	'Renée',
	'François',
	'Ιωάννης',
	'Дмитрий',
	'山田',
	'محمد',
	'St. John',
	'Mc Donald',
	'van der Berg',
	'Smith, Jr.',
	'Ann-Sophie',
	'Li',
];
const DOMAINS = ['gmail.com', 'example.com', 'shop.co.uk', 'mail.example.org', 'x.io', 'sub-domain.example.net'];
const LOCAL_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789._+-';
const GENDERS = [
	'm',
	'f',
	'M',
	'F',
	'male',
	'female',
	'Male',
	'FEMALE',
	'man',
	'woman',
	'boy',
	'girl',
	'mr',
	'mrs',
	'ms',
	'miss',
	'he',
	'she',
	'him',
	'her',
	'unknown',
	'other',
	'x',
	'',
	'n/a',
	'M.',
	'masculino',
	'Feminino',
	'vrouw',
	'Mężczyzna',
	'kobieta',
	'erkek',
	'Kadın',
	'мужской',
	'женский',
	'男',
	'女性',
	'Sig.ra',
	'divers',
];
const CITIES = [
	'St. Louis',
	'Miami-Dade',
	'New York',
	'San Francisco',
	'Zürich',
	'Montréal',
	'São Paulo',
	'Köln',
	'Paris 15e',
	'東京',
	'Winston-Salem',
	"Coeur d'Alene",
	'Washington, D.C.',
	'123 Main',
	'Ålesund',
];
const STATES = [
	'California',
	'CA',
	'ca',
	'New York',
	'NY',
	'Texas',
	'Ontario',
	'ON',
	'Quebec',
	'British Columbia',
	'C/a/lifo,rnia.',
	'north carolina',
	'West Virginia',
	'Bavaria',
	'NSW',
	'Île-de-France',
	'Kansas',
	'Arkansas',
	'Virginia',
	'District of Columbia',
	'Puerto Rico',
	'Baden-Württemberg',
	'QLD',
	'',
];
const COUNTRIES = [
	'US',
	'us',
	'USA',
	'United States',
	'United States of America',
	'Canada',
	'CA',
	'Germany',
	'DE',
	'DEU',
	'France',
	'FR',
	'United Kingdom',
	'GB',
	'UK',
	'Japan',
	'JP',
	'Brazil',
	'BR',
	'India',
	'IN',
	'IND',
	'Mexico',
	'Spain',
	'Italy',
	'Australia',
	'AU',
	'Austria',
	'AUT',
	'Netherlands',
	'Côte d’Ivoire',
	'Narnia',
	'Atlantis',
	'',
	'N/A',
	'NA',
	'no',
	'NO',
	'U.S.',
	'États-Unis',
	'Stati Uniti',
	'Россия',
	'中国',
	'Korea',
];
const MONTH_NAMES = [
	'January',
	'Feb',
	'March',
	'Apr',
	'May',
	'June',
	'Jul',
	'August',
	'Sept',
	'Oct',
	'November',
	'Dec',
];

type Gen = (r: Random) => string;

const email: Gen = (r) => {
	let local = '';
	const n = r.int(1, 14);
	for (let i = 0; i < n; i++) local += r.pick(Array.from(LOCAL_CHARS));
	const shape = r.int(0, 19);
	if (shape === 0) return r.pad(`${local}${r.pick(DOMAINS)}`); // no @
	if (shape === 1) return r.pad(`${local}@@${r.pick(DOMAINS)}`);
	if (shape === 2) return r.pad(`${local} x@${r.pick(DOMAINS)}`);
	if (shape === 3) return r.pad(`ünï${local}@${r.pick(DOMAINS)}`);
	return r.pad(r.randomCase(`${local}@${r.pick(DOMAINS)}`));
};

const phone: Gen = (r) => {
	const shape = r.int(0, 9);
	const national = r.digits(r.int(7, 11));
	const seps = [' ', '-', '.', '', ' - ', '/'];
	const sep = r.pick(seps);
	const grouped = national.replace(/(\d{3})(?=\d)/g, `$1${sep}`);
	switch (shape) {
		case 0:
			return `+1 (${r.digits(3)}) ${r.digits(3)}-${r.digits(4)}`;
		case 1:
			return `+${r.int(1, 998)} ${grouped}`;
		case 2:
			return `00${r.int(1, 998)} ${grouped}`;
		case 3:
			return `0${grouped}`;
		case 4:
			return `(${r.digits(3)})${r.digits(3)}-${r.digits(4)}`;
		case 5:
			return r.pad(`+${r.digits(r.int(1, 3))}${sep}${grouped}`);
		case 6:
			return `${r.digits(3)}.${r.digits(3)}.${r.digits(4)} ext. ${r.digits(3)}`;
		case 7:
			return r.digits(r.int(1, 6));
		case 8:
			return `tel: +${r.digits(2)} ${grouped}`;
		default:
			return grouped;
	}
};

const name: Gen = (r) => {
	let v = r.randomCase(r.pick(FIRST));
	if (r.chance(0.2)) v = v.normalize('NFD');
	if (r.chance(0.2)) v = `${v}${r.pick(['.', '!', ' ', '-', '_', '*', '(', ')'])}`;
	return r.pad(v);
};

const dob: Gen = (r) => {
	const y = r.int(1890, 2030);
	const m = r.int(1, 12);
	const d = r.int(1, 31);
	const p = (n: number) => String(n).padStart(2, '0');
	const shapes = [
		`${y}-${p(m)}-${p(d)}`,
		`${m}/${d}/${y}`,
		`${p(d)}.${p(m)}.${y}`,
		`${y}${p(m)}${p(d)}`,
		`${y}-${p(m)}-${p(d)}T00:00:00Z`,
		`${MONTH_NAMES[m - 1]} ${d}, ${y}`,
		`${d} ${MONTH_NAMES[m - 1]} ${y}`,
		`${p(m)}${p(d)}${y}`,
		`${y}/${m}/${d}`,
		`${d}-${m}-${y}`,
		`${m}/${d}/${String(y).slice(2)}`,
	];
	return r.pad(r.pick(shapes));
};

const gender: Gen = (r) => r.pad(r.randomCase(r.pick(GENDERS)));
const city: Gen = (r) => {
	const v = r.randomCase(r.pick(CITIES));
	return r.pad(r.chance(0.2) ? v.normalize('NFD') : v);
};
const state: Gen = (r) => r.pad(r.randomCase(r.pick(STATES)));
const country: Gen = (r) => r.pad(r.randomCase(r.pick(COUNTRIES)));

const zip: Gen = (r) => {
	const shapes = [
		r.digits(5),
		`${r.digits(5)}-${r.digits(4)}`,
		`M${r.int(1, 9)} ${r.int(1, 9)}AE`,
		`K1A ${r.digits(1)}B${r.digits(1)}`,
		`${r.digits(3)}-${r.digits(4)}`,
		`${r.digits(5)}-${r.digits(3)}`,
		r.digits(4),
		r.digits(1),
		`SW1A ${r.digits(1)}AA`,
	];
	return r.pad(r.randomCase(r.pick(shapes)));
};

const externalId: Gen = (r) => {
	const shape = r.int(0, 9);
	if (shape === 0) return Array.from({ length: 32 }, () => r.pick(Array.from('0123456789abcdef'))).join('');
	if (shape === 1) return r.pick(['', ' ', '\t']);
	return r.pad(r.randomCase(`cust ${r.digits(r.int(3, 12))}${r.chance(0.3) ? '-AbC' : ''}`));
};

export const GENERATORS: Readonly<Record<HashedUserDataKey, Gen>> = {
	em: email,
	ph: phone,
	fn: name,
	ln: name,
	ge: gender,
	db: dob,
	ct: city,
	st: state,
	zp: zip,
	country,
	external_id: externalId,
};
