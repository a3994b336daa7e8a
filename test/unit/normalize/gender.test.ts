/**
 * Golden cases of gender normalization (docs/normalization.md, genders): the words of each language
 * as shops' forms store them, folded (case, accents, punctuation), and the values that give nothing.
 */
import { gender } from '../../../nodes/core/normalize/fields';
import { foldWord } from '../../../nodes/core/normalize/fold';
import { FEMALE_WORDS, MALE_WORDS } from '../../../nodes/core/normalize/gender';
import { hashUserData } from '../../../nodes/core/normalize';

// language → [male forms, female forms], each as a form might store it.
const LANGUAGES: Record<string, [male: string[], female: string[]]> = {
	English: [
		['M', 'm', 'Male', 'MALE', ' male ', 'man', 'Mr', 'Mr.', 'mr.', 'Masc.'],
		['F', 'f', 'Female', 'woman', 'Mrs.', 'Ms', 'Miss', 'Fem.'],
	],
	German: [
		['männlich', 'MÄNNLICH', 'maennlich', 'mannlich', 'Männl.', 'Mann', 'Herr'],
		['weiblich', 'Weibl.', 'W', 'Frau', 'Mädchen', 'madchen'],
	],
	French: [
		['Homme', 'H', 'masculin', 'Monsieur', 'M.', 'Garçon'],
		['Femme', 'féminin', 'FÉMININ', 'feminin', 'Madame', 'Mme', 'Mlle'],
	],
	Spanish: [
		['Hombre', 'masculino', 'Varón', 'varon', 'Sr.', 'Señor', 'senor'],
		['Mujer', 'Femenino', 'Sra.', 'Srta.', 'Señora'],
	],
	Italian: [
		['Maschio', 'Uomo', 'maschile', 'Sig.', 'Signore'],
		['Femmina', 'Donna', 'femminile', 'Sig.ra', 'Signora', 'signorina'],
	],
	Portuguese: [
		['masculino', 'Masculino', 'MASCULINO', 'Homem', 'Masc', 'Senhor'],
		['feminino', 'Feminino', 'Mulher', 'Fem', 'Senhora'],
	],
	Dutch: [
		['man', 'Man', 'mannelijk', 'Dhr.', 'De heer', 'heer', 'jongen'],
		['vrouw', 'Vrouw', 'V', 'vrouwelijk', 'Mevr.', 'Mw.', 'mevrouw', 'meisje'],
	],
	Polish: [
		['mężczyzna', 'Mężczyzna', 'MĘŻCZYZNA', 'mezczyzna', 'męski', 'męska', 'meska', 'M'],
		['kobieta', 'Kobieta', 'K', 'żeński', 'żeńska', 'zenska'],
	],
	Swedish: [
		['man', 'Man', 'manlig', 'Herr', 'pojke'],
		['kvinna', 'Kvinna', 'K', 'kvinnlig', 'Fru', 'flicka'],
	],
	Danish: [
		['mand', 'Mand', 'mandlig', 'Herre', 'dreng'],
		['kvinde', 'Kvinde', 'K', 'kvindelig', 'Fru', 'pige'],
	],
	Norwegian: [
		['mann', 'Mann', 'mannlig', 'Herr', 'gutt'],
		['kvinne', 'Kvinne', 'K', 'kvinnelig', 'Fru', 'jente'],
	],
	Finnish: [
		['mies', 'Mies', 'miespuolinen', 'poika'],
		['nainen', 'Nainen', 'naispuolinen', 'tyttö', 'tytto'],
	],
	Turkish: [
		['erkek', 'Erkek', 'ERKEK', 'Bay'],
		['kadın', 'Kadın', 'KADIN', 'kadin', 'Bayan', 'kız'],
	],
	Russian: [
		['мужской', 'Мужской', 'МУЖСКОЙ', 'мужчина', 'муж.', 'М', 'м'],
		['женский', 'Женский', 'женщина', 'жен.', 'Ж', 'ж'],
	],
	Ukrainian: [
		['чоловік', 'чоловіча', 'Чоловічий'],
		['жінка', 'жіноча', 'Жіночий'],
	],
	Czech: [
		['muž', 'Muž', 'muz', 'mužský'],
		['žena', 'Žena', 'zena', 'ženský'],
	],
	Romanian: [
		['bărbat', 'barbat', 'masculin'],
		['femeie', 'feminin'],
	],
	Hungarian: [['férfi', 'ferfi'], []],
	Greek: [
		['άνδρας', 'ΆΝΔΡΑΣ', 'ανδρας', 'άρρεν', 'αρσενικό'],
		['γυναίκα', 'ΓΥΝΑΊΚΑ', 'θήλυ', 'θηλυκό'],
	],
	Japanese: [
		['男', '男性', '男子', '　男性　'],
		['女', '女性', '女子'],
	],
	Chinese: [
		['男', '男性', '男士'],
		['女', '女性', '女士'],
	],
	Korean: [
		['남', '남성', '남자'],
		['여', '여성', '여자'],
	],
	Arabic: [['ذكر'], ['أنثى', 'انثى']],
	Hebrew: [['זכר'], ['נקבה']],
	Hindi: [['पुरुष'], ['महिला', 'स्त्री']],
	'Indonesian and Malay': [
		['pria', 'Laki-laki', 'laki laki', 'lelaki'],
		['wanita', 'Perempuan'],
	],
	Vietnamese: [
		['Nam', 'nam'],
		['Nữ', 'nữ', 'nu'],
	],
	Thai: [
		['ชาย', 'เพศชาย'],
		['หญิง', 'เพศหญิง'],
	],
	Symbols: [['♂'], ['♀']],
};

describe('gender words in the shops’ languages', () => {
	describe.each(Object.entries(LANGUAGES))('%s', (_language, [male, female]) => {
		if (male.length) it.each(male)('%j → m', (input) => expect(gender(input.normalize('NFC'))).toBe('m'));
		if (female.length) it.each(female)('%j → f', (input) => expect(gender(input.normalize('NFC'))).toBe('f'));
	});

	it('reads a decomposed (NFD) word as the composed one', () => {
		expect(gender('Me\u0328z\u0307czyzna')).toBe('m');
		expect(gender('fe\u0301minin')).toBe('f');
	});

	it('hashes the word as Meta’s m or f', () => {
		expect(hashUserData({ ge: 'Kadın' }).ge).toEqual(hashUserData({ ge: 'f' }).ge);
		expect(hashUserData({ ge: '男性' }).ge).toEqual(hashUserData({ ge: 'm' }).ge);
	});
});

describe('a word meaning both, neither or either gives nothing', () => {
	it.each([
		// both, neither, not said
		...['other', 'Other', 'divers', 'Divers', 'd', 'D', 'x', 'X', 'u', 'o', 'unknown', 'Unknown', 'unspecified'],
		...['prefer not to say', 'Prefer not to say', 'not specified', 'keine Angabe', 'n/a', 'N/A', 'na', 'none', '-'],
		...['non-binary', 'nonbinary', 'Non-Binary', 'nb', 'enby', 'genderqueer', 'agender', 'intersex', 'both'],
		...['unisex', 'M/F', 'm/f', 'F/M', 'MF', 'Mr & Mrs', 'Mr. and Mrs.', 'Mx', 'Mx.', 'they/them'],
		// other, not said, in the shops' languages
		...['andere', 'autre', 'otro', 'outro', 'altro', 'anders', 'inne', 'annet', 'andet', 'muu', 'diğer'],
		...['другое', 'другой', 'не указан', 'その他', '其他', '不明', '未知', '기타'],
		// numbers: 1/2 (ISO 5218) and 0/1 (flags) read either way
		...['0', '1', '2', '9', 'M1', '1m', '01'],
		// read two ways (gender.ts says why): Finnish n, Turkish e, Hungarian nő (folds to no), Polish pan, 先生
		...['n', 'N', 'e', 'E', 'nő', 'Nő', 'no', 'pan', 'Pan', 'pani', '先生'],
		// not words for a person's gender
		...['king', 'dude', 'mens', "men's", 'ladies', 'kids', 'yes', ''],
	])('%j → nothing', (input) => {
		expect(gender(input)).toBeUndefined();
	});
});

describe('the word lists', () => {
	const folded = (words: readonly string[]) => new Set(words.map((w) => foldWord(w) || w));

	it('have no word, once folded, in both', () => {
		const male = folded(MALE_WORDS);
		expect([...folded(FEMALE_WORDS)].filter((w) => male.has(w))).toEqual([]);
	});

	it('read every listed word as its gender', () => {
		expect(MALE_WORDS.filter((w) => gender(w) !== 'm')).toEqual([]);
		expect(FEMALE_WORDS.filter((w) => gender(w) !== 'f')).toEqual([]);
	});
});
