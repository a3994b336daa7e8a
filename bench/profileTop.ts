import { readFileSync } from 'node:fs';

// node service/.bench-dist/bench/profileTop.js <file.cpuprofile> [top]: a `--cpu-prof` profile
// (BENCH_PROFILE=<folder> npm run bench …) summarised by self time, per function and per part
// (a package under node_modules, the service, the core, node itself, GC, idle).

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
}

interface Profile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
}

function partOf(url: string, name: string): string {
	if (!url) return name.startsWith('(') ? name : '(node native)';
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (pkg) return pkg[1];
	for (const part of ['service/src', 'nodes/core', 'nodes/shared', 'bench']) if (url.includes(`/${part}/`)) return part;
	return url.startsWith('node:') ? 'node' : url;
}

function main(): void {
	const [file, topArg] = process.argv.slice(2);
	if (!file) throw new Error('usage: profileTop <file.cpuprofile> [top]');
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
	const byFunction = new Map<string, number>();
	const byPart = new Map<string, number>();
	let total = 0;
	for (const node of profile.nodes) {
		const ms = (node.hitCount ?? 0) * msPerSample;
		if (ms === 0) continue;
		const { functionName, url, lineNumber } = node.callFrame;
		const where = url ? `${url.replace(/^.*\/(node_modules|service|nodes|bench)\//, '$1/')}:${lineNumber + 1}` : '';
		const key = `${functionName || '(anonymous)'} ${where}`.trim();
		byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
		const part = partOf(url, functionName);
		byPart.set(part, (byPart.get(part) ?? 0) + ms);
		total += ms;
	}
	const busy = total - (byPart.get('(idle)') ?? 0);
	const print = (title: string, entries: Map<string, number>, top: number) => {
		process.stdout.write(`\n${title} (self ms, % of ${busy.toFixed(0)} ms not idle)\n`);
		for (const [key, ms] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top))
			process.stdout.write(`${ms.toFixed(0).padStart(8)} ${((ms * 100) / busy).toFixed(1).padStart(5)}%  ${key}\n`);
	};
	process.stdout.write(`${file}: ${(total / 1000).toFixed(1)} s sampled\n`);
	print('by part', byPart, 20);
	print('by function', byFunction, Number(topArg ?? 30));
}

main();
