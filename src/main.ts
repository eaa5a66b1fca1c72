/** The studio's entry: registers the blocks once, then defines the elements. */
// First: defining <iot-studio> upgrades the one already in the page at once, and its editor must
// find the blocks registered.
import './editor/registered.ts';
import './app/iot-studio.ts';
import { bringChineseFont, redrawChineseText, studioReady } from './app/cjk-font.ts';

// Chinese where the system has no Chinese font: after the studio is ready, so the ready page's
// bytes stay within budget.
void studioReady().then(() =>
  requestIdleCallback(
    () => {
      const studio = document.querySelector('iot-studio');
      void bringChineseFont(() => {
        const workspace = studio?.editor?.workspace;
        if (workspace) redrawChineseText(workspace);
      });
    },
    { timeout: 2000 },
  ),
);
