/**
 * The example projects: what the gallery shows and what `?example=<name>` opens. Plain JSON
 * imports and strings (no Vite-only syntax), so Node code such as the command line and the tests
 * can use the same list.
 *
 * The examples that connect to the classroom broker save no client ID: the connect block then
 * keeps the fresh one it makes for itself, so forty children opening the same example never
 * throw each other off the broker. (The OneNET examples keep their device's name: OneNET wants
 * its own.)
 */
import onenetRgb from './onenet-rgb.json' with { type: 'json' };
import onenetRgbToday from './onenet-rgb-today.json' with { type: 'json' };
import buttonPublish from './button-publish.json' with { type: 'json' };
import twoBoardsChat from './two-boards-chat.json' with { type: 'json' };
import oledMessages from './oled-messages.json' with { type: 'json' };
import lightReporter from './light-reporter.json' with { type: 'json' };
import doorbell from '../parts/buzzer/example.json' with { type: 'json' };
import { drawPicture, pictures, type PictureData } from './pictures.ts';
import { addPartExampleWords, type ExampleStringKey, type PartExampleWords } from './strings.ts';

/** One example project, as the gallery shows it. */
export interface Example {
  /** Its name in the address, `?example=<name>`. */
  name: string;
  /** Its title's message key (`src/examples/strings.ts`). */
  title: ExampleStringKey;
  /** Its description's message key: one or two sentences for a child. */
  description: ExampleStringKey;
  /** A small picture: a complete SVG document, 240×100. */
  picture: string;
  /** The project file's content. */
  project: unknown;
}

/**
 * A board part's example, kept in the part's folder (`src/parts/<part>/example.json`): its name,
 * its words in every language, its picture as data (`PictureData`) and its project.
 */
export interface PartExampleFile extends PartExampleWords {
  name: string;
  picture: PictureData;
  project: unknown;
}

/** The gallery's entry for a part's example: its words added to the examples' strings. */
function partExample(file: PartExampleFile): Example {
  return {
    name: file.name,
    ...addPartExampleWords(file.name, file),
    picture: drawPicture(file.picture),
    project: file.project,
  };
}

/** Every example, in the order the gallery shows them (a part's: one line, `partExample`). */
export const exampleList: readonly Example[] = [
  {
    name: 'onenet-rgb',
    title: 'onenetRgbTitle',
    description: 'onenetRgbDescription',
    picture: pictures['onenet-rgb'],
    project: onenetRgb,
  },
  {
    name: 'button-publish',
    title: 'buttonPublishTitle',
    description: 'buttonPublishDescription',
    picture: pictures['button-publish'],
    project: buttonPublish,
  },
  {
    name: 'two-boards-chat',
    title: 'twoBoardsChatTitle',
    description: 'twoBoardsChatDescription',
    picture: pictures['two-boards-chat'],
    project: twoBoardsChat,
  },
  {
    name: 'oled-messages',
    title: 'oledMessagesTitle',
    description: 'oledMessagesDescription',
    picture: pictures['oled-messages'],
    project: oledMessages,
  },
  {
    name: 'light-reporter',
    title: 'lightReporterTitle',
    description: 'lightReporterDescription',
    picture: pictures['light-reporter'],
    project: lightReporter,
  },
  partExample(doorbell),
  {
    name: 'onenet-rgb-today',
    title: 'onenetRgbTodayTitle',
    description: 'onenetRgbTodayDescription',
    picture: pictures['onenet-rgb-today'],
    project: onenetRgbToday,
  },
];

/** Example name (as written in the address) → its project file's content. */
export const examples: Readonly<Record<string, unknown>> = Object.fromEntries(
  exampleList.map((example) => [example.name, example.project]),
);

/** The example called `name`, or null when there is no such example. */
export function exampleNamed(name: string): Example | null {
  return exampleList.find((example) => example.name === name) ?? null;
}

/** The project file text of example `name`, or null when there is no such example. */
export function exampleText(name: string): string | null {
  // hasOwn, so names such as "constructor" or "__proto__" are not found on the prototype.
  return Object.hasOwn(examples, name) ? JSON.stringify(examples[name]) : null;
}
