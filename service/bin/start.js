#!/usr/bin/env node
// Placeholder until the relay service lands (issue 3): the command exists so the README is true.
console.log('Conversion Relay service: not implemented yet. The shared domain core is in nodes/core.');
