// Generates nodes/core/normalize/data/countries.ts: every country's alpha-2 and alpha-3 codes and
// its names in every language i18n-iso-countries has, with the short forms people write, folded as
// the normalizer folds them (nodes/core/normalize/fold.ts, loaded from its source). Dev-time only:
// the generated table ships, the package does not.
// Run: node scripts/generate-country-data.js          (writes the file, prints the counts)
//      node scripts/generate-country-data.js --check  (exit 1 when the file is out of date)
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const countries = require('i18n-iso-countries');
const { version } = require('i18n-iso-countries/package.json');

const TARGET = path.join(__dirname, '../nodes/core/normalize/data/countries.ts');
const LANGS_DIR = path.join(path.dirname(require.resolve('i18n-iso-countries')), 'langs');

/** The normalizer's own fold, compiled from its TypeScript source, so both sides fold alike. */
function loadFold() {
	const file = path.join(__dirname, '../nodes/core/normalize/fold.ts');
	const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
	});
	const mod = { exports: {} };
	new Function('module', 'exports', 'require', outputText)(mod, mod.exports, require);
	return mod.exports.foldWord;
}
const foldWord = loadFold();

// Short forms the locale files leave out, as shops' customers write them (any language; folded below).
const SHORT_FORMS = {
	US: [
		...['America', 'United States America', 'U.S. of A.', 'États-Unis', 'Stati Uniti', 'EE. UU.', 'EEUU', 'EUA'],
		...['Spojené státy', 'Yhdysvallat', 'アメリカ', '米国', '美國', 'Соединённые Штаты'],
	],
	GB: [
		...['Cymru'],
		...['Britain', 'England', 'Scotland', 'Wales', 'Northern Ireland', 'Grande-Bretagne', 'Angleterre'],
		...['Écosse', 'Inghilterra', 'Gran Bretagna', 'Scozia', 'Inglaterra', 'Gran Bretaña', 'Escocia'],
		...['Grã-Bretanha', 'Escócia', 'Engeland', 'Groot-Brittannië', 'Schotland', 'Schottland', 'Anglia'],
		...['Szkocja', 'İngiltere', 'Англия', 'Британия', 'Шотландия', '英國', '英国', 'イングランド'],
	],
	DE: ['BRD', 'Duitsland', '德國'],
	CN: ['PRC', 'VR China', 'Китай', '中国', '中國', '中华人民共和国', '中華人民共和國'],
	HK: ['Hong Kong SAR', 'HKSAR'],
	RU: ['Russia', 'Russie', 'Rusia', 'Rússia', 'Rusland', 'Rosja', 'Rusya', 'ロシア', '俄羅斯'],
	KR: [
		...['South Korea', 'Südkorea', 'Corée du Sud', 'Corea del Sur', 'Corea del Sud', 'Coreia do Sul', 'Zuid-Korea'],
		...['Sydkorea', 'Korea Południowa', 'Güney Kore', 'Южная Корея', '韓国', '韓國', '南韓', '한국', 'ROK'],
	],
	KP: [
		...['North Korea', 'Nordkorea', 'Corée du Nord', 'Corea del Norte', 'Corea del Nord', 'Coreia do Norte'],
		...['Noord-Korea', 'Korea Północna', 'Kuzey Kore', 'Северная Корея', '北朝鮮', '北韓', '북한', 'DPRK'],
	],
	TW: ['Taiwan', '台灣', '臺灣', '台湾'],
	MO: ['Macau', 'Macao', 'Macau SAR', '澳門', '澳门'],
	AE: ['UAE', 'U.A.E.', 'Emirates', 'VAE', 'EAU', 'BAE', 'ZEA', 'Emiratos', 'Emirati'],
	NL: ['Holland', 'Hollande', 'Olanda', 'Holanda', 'Holandia', 'Hollanda', 'Голландия', '荷蘭'],
	CZ: [
		...['Czechia', 'Czech Republic', 'Tchéquie', 'République tchèque', 'Chequia', 'República Checa'],
		...['Repubblica Ceca', 'Cechia', 'Tsjechië', 'Czechy', 'Çekya', 'Tjeckien', 'チェコ共和国'],
	],
	VN: ['Vietnam', 'Việt Nam'],
	TR: ['Turkey', 'Türkiye', 'Turkiye'],
	CI: ['Ivory Coast', "Costa d'Avorio", 'Elfenbenskusten'],
	CV: ['Cape Verde'],
	VA: ['Vatican', 'Vatican City', 'Vaticano', 'Vatikan'],
	CD: ['DR Congo', 'DRC', 'RDC', 'Congo-Kinshasa'],
	CG: ['Congo-Brazzaville'],
	ZA: ['RSA'],
	BA: ['Bosnia'],
	TT: ['Trinidad'],
	TL: ['East Timor'],
	IE: ['Republic of Ireland'],
	PS: ['Palestinian Territories'],
	PH: ['Pilipinas', '菲律賓'],
	SA: ['KSA'],
	NZ: ['Aotearoa'],
	IT: ['Italia', '義大利', '意大利'],
	FR: ['法國'],
	AU: ['澳洲', 'Aussie'],
	CH: ['Schweiz', 'Suisse', 'Svizzera', '瑞士'],
	MY: ['馬來西亞'],
	TH: ['泰國'],
	ID: ['印尼'],
	LA: ['ラオス'],
	MD: ['モルドバ'],
	BO: ['ボリビア'],
};

// How strongly a folded key belongs to a country: a code beats a name, a name beats a part of one.
const CODE = 3;
const NAME = 2;
const PART = 1;

// Names that two countries go by, though the locale files give them to one (Korea, Republic of).
const AMBIGUOUS_NAMES = ['Korea', 'Corea', 'Corée', 'Coreia', 'Kore', 'Корея'];

/**
 * What a locale's name says, with its strength: the whole, `X, Y` read as `Y X`, and X of `X (Y)`
 * or `X, Y`. What is inside the parentheses is a qualifier (French part, Kinshasa), not a name.
 */
function forms(name, lang) {
	const text = name.normalize('NFKC');
	const out = [[text, NAME]];
	const paren = /^([^()]+)\(([^()]+)\)\s*$/.exec(text);
	if (paren) out.push([paren[1], PART]);
	const comma = /^([^,()]+),\s*([^,()]+)$/.exec(text);
	if (comma) out.push([`${comma[2]} ${comma[1]}`, NAME], [comma[1], PART]);
	// Japanese writes a short name before a middle dot: ベネズエラ・ボリバル共和国.
	if (lang === 'ja' && text.includes('・')) out.push([text.split('・')[0], PART]);
	// Saint written St, as English addresses do: St Kitts and Nevis, St. Lucia.
	if (lang === 'en' && /^Saint /.test(text)) out.push([text.replace(/^Saint /, 'St '), NAME]);
	// German without umlauts, as typed on other keyboards: Oesterreich, Tuerkei.
	if (lang === 'de' && /[äöü]/i.test(text)) {
		out.push([
			text
				.replace(/ä/g, 'ae')
				.replace(/ö/g, 'oe')
				.replace(/ü/g, 'ue')
				.replace(/Ä/g, 'Ae')
				.replace(/Ö/g, 'Oe')
				.replace(/Ü/g, 'Ue'),
			NAME,
		]);
	}
	return out;
}

function build() {
	const langs = fs
		.readdirSync(LANGS_DIR)
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -5))
		.sort();
	const alpha2s = Object.keys(countries.getAlpha2Codes()).sort();
	const alpha3Of = (a2) => countries.alpha2ToAlpha3(a2).toLowerCase();

	// key → (country → strongest claim), and which languages gave each key to its country.
	const claims = new Map();
	const langsOf = new Map();
	const claim = (key, a2, strength, lang) => {
		if (!key) return;
		if (!claims.has(key)) claims.set(key, new Map());
		const owners = claims.get(key);
		owners.set(a2, Math.max(owners.get(a2) ?? 0, strength));
		if (lang) {
			const id = `${key}|${a2}`;
			if (!langsOf.has(id)) langsOf.set(id, new Set());
			langsOf.get(id).add(lang);
		}
	};
	for (const a2 of alpha2s) {
		claim(a2.toLowerCase(), a2, CODE);
		claim(alpha3Of(a2), a2, CODE);
	}
	for (const lang of langs) {
		const data = require(path.join(LANGS_DIR, `${lang}.json`));
		for (const a2 of alpha2s) {
			for (const name of [].concat(data.countries[a2] ?? [])) {
				for (const [text, strength] of forms(name, lang)) claim(foldWord(text), a2, strength, lang);
			}
		}
	}
	for (const [a2, names] of Object.entries(SHORT_FORMS)) {
		for (const name of names) claim(foldWord(name), a2, NAME, 'short');
	}
	const ambiguous = new Set(AMBIGUOUS_NAMES.map(foldWord));

	// A key goes to the one country with the strongest claim; two at the same strength: nobody.
	const namesOf = new Map(alpha2s.map((a2) => [a2, []]));
	const collisions = [];
	const lost = [];
	const noAlpha3 = new Set();
	for (const [key, owners] of claims) {
		if (ambiguous.has(key)) {
			collisions.push(`${key}: ${[...owners.keys()].join(' ')} (names two countries)`);
			continue;
		}
		const best = Math.max(...owners.values());
		const top = [...owners].filter(([, s]) => s === best).map(([a2]) => a2);
		if (top.length > 1) {
			if (best === NAME) collisions.push(`${key}: ${top.join(' ')}`);
			continue;
		}
		const [a2] = top;
		// A code that is another country's name (Vietnamese Nga, Russia: Nigeria's NGA) names two.
		if (best === CODE && [...owners].some(([o, st]) => o !== a2 && st === NAME)) {
			collisions.push(`${key}: ${[...owners.keys()].join(' ')} (a code and a name)`);
			if (key === alpha3Of(a2)) noAlpha3.add(a2);
			continue;
		}
		if (owners.size > 1)
			lost.push(
				`${key}: ${a2} over ${[...owners]
					.filter(([o]) => o !== a2)
					.map(([o, st]) => `${o}/${st}`)
					.join(' ')}`,
			);
		// The alpha-3 code has its column; the alpha-2 code is kept as a name only where a language
		// writes it as one (U.S.), so that a dotted form is read and N.A. is not.
		if (key === alpha3Of(a2)) continue;
		if (key === a2.toLowerCase() && !langsOf.has(`${key}|${a2}`)) continue;
		namesOf.get(a2).push(key);
	}

	const perLang = new Map(langs.map((l) => [l, 0]));
	let shortForms = 0;
	for (const [a2, names] of namesOf) {
		for (const key of names) {
			for (const lang of langsOf.get(`${key}|${a2}`) ?? []) {
				if (lang === 'short') shortForms++;
				else perLang.set(lang, perLang.get(lang) + 1);
			}
		}
	}

	const rows = alpha2s.map((a2) => {
		const alpha3 = noAlpha3.has(a2) ? '' : alpha3Of(a2);
		return `\t'${a2.toLowerCase()}|${alpha3}|${namesOf.get(a2).sort().join(',')}',`;
	});
	const text = `// Generated by scripts/generate-country-data.js from i18n-iso-countries ${version} (${langs.length} languages) and its
// short forms. Do not edit by hand. Row: alpha-2 | alpha-3 (empty where it is another country's name) |
// names folded by fold.ts, each given to one country only (a name two countries claim is left out).
export const COUNTRY_ROWS: readonly string[] = [
${rows.join('\n')}
];
`;
	const names = [...namesOf.values()].reduce((n, list) => n + list.length, 0);
	return { text, langs, perLang, names, shortForms, collisions, lost };
}

const { text, langs, perLang, names, shortForms, collisions, lost } = build();
if (process.argv.includes('--check')) {
	const current = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
	if (current !== text) {
		console.error('countries.ts is out of date: run node scripts/generate-country-data.js');
		process.exit(1);
	}
} else {
	fs.writeFileSync(TARGET, text);
	console.log(`${langs.length} languages, ${names} distinct folded names, ${Buffer.byteLength(text)} bytes`);
	console.log(`names kept per language: ${[...perLang].map(([l, n]) => `${l} ${n}`).join(', ')}`);
	console.log(`short forms kept: ${shortForms}; names two countries claim, left out: ${collisions.length}`);
	if (process.argv.includes('--collisions'))
		console.log([...collisions.sort(), '--- weaker claims', ...lost.sort()].join('\n'));
}
