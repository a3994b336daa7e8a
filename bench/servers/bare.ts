import express from 'express';

// The baseline: a bare Express handler that parses JSON and answers 202, nothing else.
const app = express();
app.disable('x-powered-by');
app.post('*path', express.json({ limit: '5mb' }), (req, res) => {
	res.status(202).json({ ok: true, keys: Object.keys(req.body ?? {}).length });
});
const server = app.listen(0, '127.0.0.1', () => {
	const address = server.address();
	process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
