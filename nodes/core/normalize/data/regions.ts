// Folded names (lowercase a-z only) of US states, DC and territories, and Canadian provinces.
export const US_REGIONS: Readonly<Record<string, string>> = {
	alabama: 'al', alaska: 'ak', arizona: 'az', arkansas: 'ar', california: 'ca', colorado: 'co',
	connecticut: 'ct', delaware: 'de', districtofcolumbia: 'dc', washingtondc: 'dc', florida: 'fl',
	georgia: 'ga', hawaii: 'hi', idaho: 'id', illinois: 'il', indiana: 'in', iowa: 'ia',
	kansas: 'ks', kentucky: 'ky', louisiana: 'la', maine: 'me', maryland: 'md',
	massachusetts: 'ma', michigan: 'mi', minnesota: 'mn', mississippi: 'ms', missouri: 'mo',
	montana: 'mt', nebraska: 'ne', nevada: 'nv', newhampshire: 'nh', newjersey: 'nj',
	newmexico: 'nm', newyork: 'ny', northcarolina: 'nc', northdakota: 'nd', ohio: 'oh',
	oklahoma: 'ok', oregon: 'or', pennsylvania: 'pa', rhodeisland: 'ri', southcarolina: 'sc',
	southdakota: 'sd', tennessee: 'tn', texas: 'tx', utah: 'ut', vermont: 'vt', virginia: 'va',
	washington: 'wa', westvirginia: 'wv', wisconsin: 'wi', wyoming: 'wy',
	americansamoa: 'as', guam: 'gu', northernmarianaislands: 'mp', puertorico: 'pr',
	usvirginislands: 'vi', virginislands: 'vi',
};

export const CA_PROVINCES: Readonly<Record<string, string>> = {
	alberta: 'ab', britishcolumbia: 'bc', manitoba: 'mb', newbrunswick: 'nb',
	newfoundlandandlabrador: 'nl', newfoundland: 'nl', northwestterritories: 'nt', novascotia: 'ns',
	nunavut: 'nu', ontario: 'on', princeedwardisland: 'pe', quebec: 'qc', saskatchewan: 'sk',
	yukon: 'yt',
};
