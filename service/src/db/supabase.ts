import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { Rpc } from './rpc';

/**
 * Supabase through supabase-js with the service-role key: every call is an RPC to a function of
 * supabase/migrations (applied to the project with `supabase db push`). The service role bypasses
 * row-level security; anon and authenticated have no grants at all.
 */
export function openSupabase(url: string, serviceRoleKey: string): Rpc {
	const client = createClient(url, serviceRoleKey, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		// Realtime is never used, but supabase-js builds its client eagerly and Node 20 has no WebSocket.
		realtime: { transport: WebSocket as never },
	});
	const rpc = async (fn: string, args: Record<string, unknown>) => {
		const { data, error } = await client.rpc(fn, args);
		if (error) throw new Error(`Supabase RPC ${fn}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
		return data as unknown;
	};
	return {
		backend: 'supabase',
		rows: async <T>(fn: string, args: Record<string, unknown> = {}) => ((await rpc(fn, args)) ?? []) as T[],
		value: async <T>(fn: string, args: Record<string, unknown> = {}) => (await rpc(fn, args)) as T,
		close: async () => {
			await client.removeAllChannels();
		},
	};
}
