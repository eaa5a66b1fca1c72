/**
 * The help page's entry (`src/help/index.html`): picks the language, sets the blocks' messages
 * in it so the pictures read as they do in the studio, then shows `<help-page>`.
 */
import { bringChineseFont } from '../app/cjk-font.ts';
import { registerBlocks, setBlockLanguage } from '../editor/register.ts';
import { helpLanguage } from './help-language.ts';
import { pageStrings } from './strings.ts';

const language = helpLanguage(location.search);
registerBlocks();
setBlockLanguage(language);
document.documentElement.lang = language === 'zh-hans' ? 'zh-Hans' : 'en';
document.title = pageStrings[language].title;
// Imported only now: the page's category names and pictures read the messages set above.
await import('./help-page.ts');
const page = document.createElement('help-page');
page.language = language;
document.body.append(page);
// Chinese where the system has no Chinese font (cjk-font.ts): the pictures measured their text
// before it came, so they are drawn again.
void bringChineseFont(() => {
  for (const picture of document.querySelectorAll('block-picture')) picture.redraw();
});
