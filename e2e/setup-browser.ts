/** Each browser test file shares one Chromium (e2e/desk.ts openBrowser); it closes after the file. */
import { afterAll } from 'vitest';
import { closeSharedBrowser } from './desk.ts';

afterAll(closeSharedBrowser);
