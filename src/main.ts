/** The studio's entry: registers the blocks once, then defines the elements. */
import { registerBlocks } from './editor/register.ts';

registerBlocks();
// Imported only now: defining <iot-studio> upgrades the one already in the page at once, and its
// editor must find the blocks registered.
await import('./app/iot-studio.ts');
