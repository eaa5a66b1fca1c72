/** The studio's guided lessons, one data file each; `?lesson=<name>` opens one. */
import type { Lesson } from './lesson.ts';
import lamp from './lamp.json' with { type: 'json' };
import button from './button.json' with { type: 'json' };

/** Every lesson, in the order the Project menu lists them. */
export const lessons: readonly Lesson[] = [lamp as Lesson, button as Lesson];

/** The lesson called `name`, or undefined. */
export function lessonNamed(name: string): Lesson | undefined {
  return lessons.find((lesson) => lesson.name === name);
}
