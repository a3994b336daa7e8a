import { foldWord } from './fold';

/**
 * Words that state a person's gender, as shops' forms store them: the word, its adjective, the
 * title and the form's one-letter code. Folded before lookup (case, accents, punctuation), so
 * `Mężczyzna`, `mezczyzna` and `M.` are found. Left out on purpose, because they are read two ways:
 * `n` (Finnish nainen, and "no"/"none"), `e` (Turkish erkek), Hungarian `nő` (folds to "no"),
 * `pan` (Polish Mr, and pansexual), `先生` (Mr in Chinese, teacher in Japanese), and `m` in Spanish
 * H/M forms, which means mujer: `m` is male, as Meta reads it.
 */
export const MALE_WORDS: readonly string[] = [
	// English
	...['m', 'male', 'man', 'boy', 'mr', 'mister', 'sir', 'he', 'him', 'his', 'gentleman', 'guy', 'masculine'],
	...['husband', 'father', 'son', 'brother', 'masc'],
	// German, French, Spanish, Italian, Portuguese
	...['mann', 'männlich', 'maennlich', 'männl', 'herr', 'junge', 'homme', 'masculin', 'monsieur', 'garçon', 'h'],
	...['hombre', 'masculino', 'varón', 'señor', 'sr', 'maschio', 'uomo', 'maschile', 'signore', 'sig', 'ragazzo'],
	...['homem', 'senhor'],
	// Dutch, Polish, Swedish, Danish, Norwegian, Finnish, Turkish
	...['mannelijk', 'de heer', 'heer', 'dhr', 'jongen', 'mężczyzna', 'męski', 'męska', 'chłopiec', 'manlig', 'pojke'],
	...['mand', 'mandlig', 'dreng', 'herre', 'mannlig', 'gutt', 'mies', 'miespuolinen', 'poika', 'erkek', 'bay'],
	// Russian, Ukrainian, Czech and Slovak, Romanian, Hungarian, Greek
	...['мужской', 'мужчина', 'муж', 'м', 'мальчик', 'чоловік', 'чоловіча', 'чоловічий', 'muž', 'mužský'],
	...['chlapec', 'bărbat', 'férfi', 'άνδρας', 'άρρεν', 'αρσενικό'],
	// Japanese and Chinese, Korean, Arabic, Hebrew, Hindi, Indonesian and Malay, Vietnamese, Thai
	...['男', '男性', '男子', '男士', '남', '남성', '남자', 'ذكر', 'זכר', 'पुरुष', 'pria', 'laki-laki', 'lelaki'],
	...['nam', 'ชาย', 'เพศชาย', '♂'],
];

export const FEMALE_WORDS: readonly string[] = [
	// English
	...['f', 'female', 'woman', 'girl', 'ms', 'mrs', 'miss', 'madam', 'lady', 'she', 'her', 'hers', 'feminine'],
	...['wife', 'mother', 'daughter', 'sister', 'fem'],
	// German, French, Spanish, Italian, Portuguese
	...['frau', 'weiblich', 'weibl', 'mädchen', 'w', 'femme', 'féminin', 'madame', 'mademoiselle', 'mme', 'mlle'],
	...['fille', 'mujer', 'femenino', 'señora', 'señorita', 'sra', 'srta', 'femmina', 'donna', 'femminile'],
	...['signora', 'signorina', 'sig.ra', 'ragazza', 'mulher', 'feminino', 'senhora'],
	// Dutch, Polish, Swedish, Danish, Norwegian, Finnish, Turkish
	...['vrouw', 'vrouwelijk', 'mevrouw', 'mevr', 'mw', 'meisje', 'v', 'kobieta', 'żeński', 'żeńska', 'dziewczyna'],
	...['k', 'kvinna', 'kvinnlig', 'fru', 'flicka', 'kvinde', 'kvindelig', 'pige', 'kvinne', 'kvinnelig', 'jente'],
	...['nainen', 'naispuolinen', 'tyttö', 'kadın', 'bayan', 'kız'],
	// Russian, Ukrainian, Czech and Slovak, Romanian, Greek
	...['женский', 'женщина', 'жен', 'ж', 'девочка', 'жінка', 'жіноча', 'жіночий', 'žena', 'ženský', 'femeie'],
	...['γυναίκα', 'θήλυ', 'θηλυκό'],
	// Japanese and Chinese, Korean, Arabic, Hebrew, Hindi, Indonesian and Malay, Vietnamese, Thai
	...['女', '女性', '女子', '女士', '여', '여성', '여자', 'أنثى', 'נקבה', 'महिला', 'स्त्री', 'wanita', 'perempuan'],
	...['nữ', 'หญิง', 'เพศหญิง', '♀'],
];

/** A word as looked up: folded, or trimmed when folding leaves nothing (`♀`). */
function wordOf(value: string): string {
	return foldWord(value) || value.trim();
}

let words: { male: Set<string>; female: Set<string> } | undefined;

// Folded on first use so that importing the core costs nothing.
function genderWords(): { male: Set<string>; female: Set<string> } {
	words ??= { male: new Set(MALE_WORDS.map(wordOf)), female: new Set(FEMALE_WORDS.map(wordOf)) };
	return words;
}

/** ge: f or m; anything else (both, neither, unknown, a number, blank) is left out rather than guessed. */
export function gender(value: string): string | undefined {
	const word = wordOf(value);
	const { male, female } = genderWords();
	if (male.has(word)) return 'm';
	if (female.has(word)) return 'f';
	return undefined;
}
