#!/usr/bin/env node
// The `watchdesk` command: runs the TypeScript CLI on plain Node through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
