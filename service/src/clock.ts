/** Milliseconds since the epoch. Injected so that tests move time instead of waiting for it. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const unixSeconds = (clock: Clock): number => Math.floor(clock() / 1000);
