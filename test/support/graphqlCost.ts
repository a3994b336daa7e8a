/**
 * The requested cost of an Admin GraphQL query as Shopify computes it before running it (its
 * documented rules: scalars and enums 0, an object 1, a connection 2 plus `first` (or `last`)
 * times the cost of one of its nodes), so a double can refuse what Shopify refuses: a single
 * query may not ask for more than 1,000 points. Mutations are not estimated (0).
 */

interface Field {
	name: string;
	size?: number;
	children?: Selection[];
}
type Selection = Field | { spread: string } | { inline: Selection[] };

function tokenize(text: string): string[] {
	const tokens: string[] = [];
	const re = /\s+|,|#[^\n]*|"(?:\\.|[^"\\])*"|\.\.\.|[{}():$!=@[\]]|-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*/gy;
	let m: RegExpExecArray | null;
	while ((m = re.exec(text))) {
		const t = m[0];
		if (/^\s+$/.test(t) || t === ',' || t.startsWith('#')) continue;
		tokens.push(t);
	}
	return tokens;
}

export function requestedQueryCost(query: string, variables: Record<string, unknown> = {}): number {
	const tokens = tokenize(query);
	let at = 0;
	const peek = () => tokens[at];
	const next = () => tokens[at++];
	const skipBalanced = (open: string, close: string) => {
		let depth = 0;
		do {
			const t = next();
			if (t === open) depth++;
			else if (t === close) depth--;
		} while (depth > 0 && at < tokens.length);
	};
	const args = (): Record<string, unknown> => {
		const out: Record<string, unknown> = {};
		next(); // (
		while (peek() !== ')' && at < tokens.length) {
			const name = next();
			next(); // :
			const t = peek();
			if (t === '$') {
				next();
				out[name] = variables[next()];
			} else if (t === '[' || t === '{') {
				skipBalanced(t, t === '[' ? ']' : '}');
			} else {
				const value = next();
				out[name] = /^-?\d+$/.test(value) ? Number(value) : value;
			}
		}
		next(); // )
		return out;
	};
	const directives = () => {
		while (peek() === '@') {
			next();
			next();
			if (peek() === '(') args();
		}
	};
	const selectionSet = (): Selection[] => {
		const out: Selection[] = [];
		next(); // {
		while (peek() !== '}' && at < tokens.length) {
			if (peek() === '...') {
				next();
				if (peek() === 'on') {
					next();
					next();
					directives();
					out.push({ inline: selectionSet() });
				} else {
					out.push({ spread: next() });
					directives();
				}
				continue;
			}
			let name = next();
			if (peek() === ':') {
				next();
				name = next();
			}
			const a = peek() === '(' ? args() : {};
			directives();
			const size = typeof a.first === 'number' ? a.first : typeof a.last === 'number' ? a.last : undefined;
			out.push({ name, size, children: peek() === '{' ? selectionSet() : undefined });
		}
		next(); // }
		return out;
	};

	const fragments = new Map<string, Selection[]>();
	let operation: Selection[] | undefined;
	let mutation = false;
	while (at < tokens.length) {
		const t = peek();
		if (t === 'fragment') {
			next();
			const name = next();
			next(); // on
			next(); // type
			directives();
			fragments.set(name, selectionSet());
		} else if (t === '{') {
			operation = selectionSet();
		} else {
			// query / mutation / subscription Name (variables) directives { … }
			mutation = next() === 'mutation';
			while (peek() !== '{' && at < tokens.length) {
				if (peek() === '(') skipBalanced('(', ')');
				else next();
			}
			operation = selectionSet();
		}
	}
	if (mutation || !operation) return 0;

	const cost = (selections: Selection[]): number =>
		selections.reduce((sum, s) => {
			if ('spread' in s) return sum + cost(fragments.get(s.spread) ?? []);
			if ('inline' in s) return sum + cost(s.inline);
			if (!s.children) return sum;
			if (s.size !== undefined) {
				// A connection: one node's cost (nodes { … } or edges { node { … } }) times its size.
				let perNode = 0;
				let rest = 0;
				for (const child of s.children) {
					if ('name' in child && child.name === 'nodes') perNode += 1 + cost(child.children ?? []);
					else if ('name' in child && child.name === 'edges') perNode += cost(child.children ?? []);
					else rest += cost([child]);
				}
				return sum + 2 + s.size * perNode + rest;
			}
			return sum + 1 + cost(s.children);
		}, 0);
	return cost(operation);
}
