/** The studio's entry: registers the blocks once, then defines the elements. */
// First: defining <iot-studio> upgrades the one already in the page at once, and its editor must
// find the blocks registered.
import './editor/registered.ts';
import './app/iot-studio.ts';
